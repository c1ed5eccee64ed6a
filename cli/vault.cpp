#include "cli/vault.hpp"

#include <unistd.h>

#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/account.hpp"
#include "cli/failure.hpp"
#include "cli/prompt.hpp"
#include "cli/session.hpp"
#include "core/secrets/secret_bytes.hpp"

namespace growth::cli {

namespace {

struct PassphraseOptions {
    int fd = -1;
    bool passphrase = false;
    bool key_file = false;
    std::optional<unsigned> kdf_ops;
    std::optional<unsigned> kdf_memory;
};

std::string text_of(const rpc::Json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return "";
    const auto& v = j[key];
    return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string sealing(const rpc::Json& s) {
    if (text_of(s, "key_source") == "key_file") return "key file " + text_of(s, "key_file");
    const rpc::Json kdf = s.value("kdf", rpc::Json::object());
    return fmt::format("passphrase (Argon2id, {} pass{}, {} MiB)", text_of(kdf, "ops"), text_of(kdf, "ops") == "1" ? "" : "es", text_of(kdf, "memory_mib"));
}

// The passphrase from --passphrase-fd, else typed on the terminal (twice for a new one), else
// read from stdin (a script).
std::string get_passphrase(const PassphraseOptions& o, const char* prompt, bool confirm) {
    if (o.fd >= 0) return read_secret_fd(o.fd, fmt::format("--passphrase-fd {}", o.fd));
    if (stdin_is_terminal()) {
        if (auto first = read_hidden(prompt)) {
            if (!confirm) return *first;
            auto again = read_hidden("Type it again: ");
            const bool same = again && *again == *first;
            if (again) secrets::wipe(again->data(), again->size());
            if (!same) {
                secrets::wipe(first->data(), first->size());
                throw Failure(ExitCode::usage, "bad_input", "the two passphrases differ; nothing was changed");
            }
            return *first;
        }
    }
    return read_secret_fd(::dup(STDIN_FILENO), "the passphrase from standard input");
}

// A call that carries a secret: never traced (-v), its copy wiped afterwards.
rpc::Json secret_call(const GlobalOptions& global, const std::string& method, rpc::Json params) {
    GlobalOptions quiet = global;
    quiet.verbose = 0;
    auto wipe = [&params] {
        if (params.contains("passphrase")) {
            auto& s = params["passphrase"].get_ref<std::string&>();
            secrets::wipe(s.data(), s.size());
        }
    };
    try {
        rpc::Json result = connect_daemon(quiet)->call(method, params);
        wipe();
        return result;
    } catch (...) {
        wipe();
        throw;
    }
}

void print(const GlobalOptions& global, const rpc::Json& result, const std::string& human) {
    if (global.json) {
        std::printf("%s\n", result.dump().c_str());
    } else {
        std::fputs(human.c_str(), stdout);
    }
}

void add_fd_option(CLI::App* sub, PassphraseOptions& o) {
    sub->add_option("--passphrase-fd", o.fd, "Read the passphrase from file descriptor N (default: ask on the "
                                             "terminal, else read standard input)")
        ->check(CLI::NonNegativeNumber);
}

}  // namespace

std::string format_vault_status(const rpc::Json& s) {
    std::string out;
    const bool locked = text_of(s, "state") == "locked";
    out += fmt::format("vault:    {}\n", text_of(s, "file"));
    out += fmt::format("state:    {}\n", locked ? "locked (growthctl unlock opens it; posts that come due wait)"
                                                : "unlocked");
    out += fmt::format("sealed:   with {}\n", sealing(s));
    out += fmt::format("secrets:  {}\n", text_of(s, "secrets"));
    out += fmt::format("created:  {}\n", text_of(s, "created_at"));
    const std::string rekeyed = text_of(s, "rekeyed_at");
    out += fmt::format("rekeyed:  {}\n", rekeyed.empty() ? "never" : rekeyed);
    return out;
}

void add_vault_commands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto unlock_o = std::make_shared<PassphraseOptions>();
    auto* unlock = app.add_subcommand("unlock", "Open a vault sealed with a passphrase; posts that waited go out");
    add_fd_option(unlock, *unlock_o);
    unlock->callback([&global, &exit_code, unlock_o] {
        rpc::Json status = connect_daemon(global)->call("vault.status");
        if (text_of(status, "state") != "locked") {
            print(global, status, fmt::format("the vault is already open (sealed with {})\n", sealing(status)));
            exit_code = 0;
            return;
        }
        const rpc::Json result =
            secret_call(global, "vault.unlock", {{"passphrase", get_passphrase(*unlock_o, "Vault passphrase: ", false)}});
        const auto continued = result.value("continued", 0);
        print(global, result,
              continued > 0 ? fmt::format("vault unlocked; {} waiting target(s) continue\n", continued)
                            : std::string("vault unlocked\n"));
        exit_code = 0;
    });

    auto* lock = app.add_subcommand("lock", "Wipe the vault's key from growthd's memory until growthctl unlock");
    lock->callback([&global, &exit_code] {
        const rpc::Json result = connect_daemon(global)->call("vault.lock");
        print(global, result, "vault locked; posts that come due wait until growthctl unlock\n");
        exit_code = 0;
    });

    auto* vault = app.add_subcommand("vault", "Show the secret vault's state (the default), or seal it with a "
                                              "passphrase or a key file");
    vault->require_subcommand(0, 1);
    vault->fallthrough();
    const auto show = [&global, &exit_code] {
        const rpc::Json result = connect_daemon(global)->call("vault.status");
        print(global, result, format_vault_status(result));
        exit_code = 0;
    };
    vault->add_subcommand("status", "Locked or unlocked, what seals it, how many secrets it holds")->callback(show);
    vault->callback([vault, show] {
        if (vault->get_subcommands().empty()) show();
    });
    auto rekey_o = std::make_shared<PassphraseOptions>();
    auto* rekey = vault->add_subcommand("rekey", "Seal the vault's data key with a new passphrase, or with growthd's key file");
    auto* to_pass = rekey->add_flag("--passphrase", rekey_o->passphrase,
                                    "Seal it with a passphrase (asked twice); growthd then starts locked");
    auto* to_file = rekey->add_flag("--key-file", rekey_o->key_file,
                                    "Seal it with growthd's key file (made when missing); growthd then opens it by itself");
    to_pass->excludes(to_file);
    add_fd_option(rekey, *rekey_o);
    rekey->add_option("--kdf-ops", rekey_o->kdf_ops, "Argon2id passes, 1 to 16 (default 3)");
    rekey->add_option("--kdf-memory", rekey_o->kdf_memory, "Argon2id memory in MiB, 8 to 1024 (default 256)");
    rekey->callback([&global, &exit_code, rekey_o] {
        const PassphraseOptions& o = *rekey_o;
        if (o.passphrase == o.key_file) {
            throw Failure(ExitCode::usage, "usage", "vault rekey needs --passphrase or --key-file");
        }
        if (o.key_file && (o.fd >= 0 || o.kdf_ops || o.kdf_memory)) {
            throw Failure(ExitCode::usage, "usage",
                          "--passphrase-fd, --kdf-ops and --kdf-memory go with --passphrase, not --key-file");
        }
        const rpc::Json before = connect_daemon(global)->call("vault.status");
        rpc::Json result;
        if (o.key_file) {
            result = connect_daemon(global)->call("vault.rekey", {{"to", "key_file"}});
            print(global, result, fmt::format("vault sealed with {}; growthd opens it by itself at start\n",
                                              sealing(result)));
        } else {
            rpc::Json params = {{"to", "passphrase"}};
            if (o.kdf_ops) params["kdf_ops"] = *o.kdf_ops;
            if (o.kdf_memory) params["kdf_memory_mib"] = *o.kdf_memory;
            params["passphrase"] = get_passphrase(o, "New vault passphrase: ", true);
            result = secret_call(global, "vault.rekey", std::move(params));
            std::string human = fmt::format("vault sealed with a {}\n"
                                            "growthd starts locked from now on: growthctl unlock opens it\n",
                                            sealing(result));
            if (text_of(before, "key_source") == "key_file") {
                human += fmt::format("note: the key file no longer opens the vault, but opens older copies of it:\n"
                                     "      delete {} once no backup needs it\n",
                                     text_of(before, "key_file"));
            }
            print(global, result, human);
        }
        exit_code = 0;
    });
}

}  // namespace growth::cli
