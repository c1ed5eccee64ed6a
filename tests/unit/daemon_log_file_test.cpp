// daemon/log: a background growthd's log file stays bounded: past Log::max_file_bytes it is moved
// to PATH.1 and a new one begins.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "daemon/log.hpp"

using growth::LogLevel;
using growth::daemon::Log;

namespace {

long long size_of(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<long long>(st.st_size) : -1;
}

}  // namespace

TEST_CASE("log file: rotated to PATH.1 past its bound, so it never holds more than about twice that") {
    char dir_template[] = "/tmp/growth-log-test-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    const std::string dir = dir_template;
    const std::string path = dir + "/growthd.log";
    const int saved = ::dup(STDERR_FILENO);  // the test runner's own stderr, put back below
    REQUIRE(saved >= 0);
    Log::to_file(path);
    CHECK(Log::destination() == path);
    const std::string line(1000, 'x');
    for (int i = 0; i < 3 * 1100; ++i) Log::write(LogLevel::warning, line);  // about 3.2 MiB
    Log::to_file("");
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    CHECK(Log::destination() != path);

    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(size_of(path) <= Log::max_file_bytes);
    CHECK(size_of(path + ".1") > Log::max_file_bytes / 2);
    CHECK(size_of(path + ".1") <= Log::max_file_bytes);
    CHECK_FALSE(std::filesystem::exists(path + ".2"));
    std::filesystem::remove_all(dir);
}
