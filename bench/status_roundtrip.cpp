// Round-trip time of daemon.status against a running growthd, without process start-up:
// connect, read the greeting, call, per iteration (what one growthctl invocation does on the wire).
// Usage: status_roundtrip SOCKET [ITERATIONS]   (prints median, p90, p99 in microseconds)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/connection.hpp"
#include "cli/failure.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: status_roundtrip SOCKET [ITERATIONS]\n");
        return 2;
    }
    const std::string socket = argv[1];
    const int iterations = argc > 2 ? std::atoi(argv[2]) : 2000;
    std::vector<double> micros;
    micros.reserve(static_cast<std::size_t>(iterations));
    try {
        for (int i = 0; i < iterations; ++i) {
            const auto start = std::chrono::steady_clock::now();
            growth::cli::DaemonConnection connection(socket);
            if (connection.try_connect() != growth::cli::ConnectResult::connected) {
                std::fprintf(stderr, "status_roundtrip: nobody listens on %s\n", socket.c_str());
                return 3;
            }
            connection.handshake();
            connection.call("daemon.status");
            const auto end = std::chrono::steady_clock::now();
            micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
        }
    } catch (const growth::cli::Failure& e) {
        std::fprintf(stderr, "status_roundtrip: %s\n", e.what());
        return 3;
    }
    std::sort(micros.begin(), micros.end());
    auto at = [&](double q) { return micros[static_cast<std::size_t>(q * (micros.size() - 1))]; };
    std::printf("connect+hello+daemon.status over %d runs: median %.1f us, p90 %.1f us, p99 %.1f us\n",
                iterations, at(0.5), at(0.9), at(0.99));
    return 0;
}
