#include "daemon/vault_methods.hpp"

#include <memory>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/pipeline/post_json.hpp"
#include "core/secrets/key_file.hpp"
#include "core/secrets/passphrase.hpp"
#include "daemon/log.hpp"
#include "daemon/off_loop.hpp"

namespace growth::daemon {

namespace {

using rpc::Json;
using rpc::ParamSpec;
using rpc::ParamType;

// The passphrase of a request, as a string the caller's JSON no longer holds a second copy of.
std::string take_passphrase(const Json& params) {
    const auto it = params.find("passphrase");
    if (it == params.end() || !it->is_string()) throw Error("bad_input", "a passphrase is needed");
    return it->get<std::string>();
}

// Runs the KDF (or anything slow with key material) off the loop, one at a time.
void run_kdf(VaultServices& s, std::function<void()> work, std::function<void(std::exception_ptr)> done) {
    if (s.kdf_running) {
        throw Error("vault_busy", "another unlock or rekey is running; try again when it has finished");
    }
    s.kdf_running = true;
    run_off_loop(s.loop, std::move(work), [&s, done = std::move(done)](std::exception_ptr e) {
        s.kdf_running = false;
        done(e);
    });
}

void unlock(VaultServices& s, const Json& params, rpc::Responder reply) {
    if (!s.vault.locked()) {
        Json out = vault_status_json(s);
        out["already"] = true;
        return reply.result(std::move(out));
    }
    auto pass = std::make_shared<std::string>(take_passphrase(params));
    auto kek = std::make_shared<secrets::Key>();
    const std::string line = s.vault.status().key_params;
    run_kdf(
        s,
        [pass, kek, line] {
            *kek = secrets::derive_kek(*pass, secrets::parse_kdf_params(line));
            secrets::wipe(pass->data(), pass->size());
        },
        [&s, kek, reply](std::exception_ptr e) {
            try {
                if (e) std::rethrow_exception(e);
                // A lock or an unlock may have come between: the result still holds.
                std::size_t continued = 0;
                if (s.vault.locked()) {
                    s.vault.unlock_with(*kek);
                    log(LogLevel::info, "vault unlocked");
                    if (s.on_unlocked) continued = s.on_unlocked();
                }
                Json out = vault_status_json(s);
                out["continued"] = continued;
                reply.result(std::move(out));
            } catch (const Error& err) {
                if (err.kind() == "wrong_passphrase") log(LogLevel::warning, "vault: an unlock with a wrong passphrase");
                reply.error(std::current_exception());
            } catch (...) {
                reply.error(std::current_exception());
            }
        });
}

void rekey(VaultServices& s, const Json& params, rpc::Responder reply) {
    if (s.vault.locked()) {
        throw Error("vault_locked", "the vault is locked: growthctl unlock opens it, then it can be rekeyed");
    }
    const std::string to = params.value("to", std::string());
    if (to == "key_file") {
        secrets::KeyFileSource source(s.key_file);
        std::string none;
        const secrets::Key kek = source.key(none, true);
        s.vault.rekey_with("key_file", "", kek);
        log(LogLevel::info, "vault rekeyed: sealed with key file {}", s.key_file.string());
        return reply.result(vault_status_json(s));
    }
    if (to != "passphrase") throw Error("bad_input", "rekey to what: \"passphrase\" or \"key_file\"");
    auto pass = std::make_shared<std::string>(take_passphrase(params));
    secrets::check_new_passphrase(*pass);
    secrets::KdfCost cost;
    if (const auto it = params.find("kdf_ops"); it != params.end()) {
        if (!it->is_number_unsigned()) throw Error("bad_input", "kdf_ops must be a whole number of passes");
        cost.ops = it->get<std::uint64_t>();
    }
    if (const auto it = params.find("kdf_memory_mib"); it != params.end()) {
        if (!it->is_number_unsigned() || it->get<std::uint64_t>() > (std::uint64_t{1} << 20)) {
            throw Error("bad_input", "kdf_memory_mib must be a whole number of MiB");
        }
        cost.memory = it->get<std::uint64_t>() << 20;
    }
    auto kdf = std::make_shared<secrets::KdfParams>(secrets::new_kdf_params(cost));  // checks the bounds
    auto kek = std::make_shared<secrets::Key>();
    run_kdf(
        s,
        [pass, kdf, kek] {
            *kek = secrets::derive_kek(*pass, *kdf);
            secrets::wipe(pass->data(), pass->size());
        },
        [&s, kdf, kek, reply](std::exception_ptr e) {
            try {
                if (e) std::rethrow_exception(e);
                s.vault.rekey_with("passphrase", secrets::encode_kdf_params(*kdf), *kek);
                log(LogLevel::info, "vault rekeyed: sealed with a passphrase");
                reply.result(vault_status_json(s));
            } catch (...) {
                reply.error(std::current_exception());
            }
        });
}

}  // namespace

Json vault_status_json(VaultServices& s) {
    const secrets::VaultStatus v = s.vault.status();
    Json out = {{"state", v.locked ? "locked" : "unlocked"},
                {"key_source", v.key_source},
                {"file", s.vault.path().string()},
                {"secrets", v.secrets},
                {"created_at", pipeline::iso_millis(v.created_at)},
                {"rekeyed_at", v.rekeyed_at ? Json(pipeline::iso_millis(v.rekeyed_at)) : Json()}};
    if (v.key_source == "key_file") out["key_file"] = s.key_file.string();
    if (v.key_source == "passphrase") {
        const secrets::KdfParams p = secrets::parse_kdf_params(v.key_params);
        out["kdf"] = {{"algorithm", "argon2id"}, {"ops", p.cost.ops}, {"memory_mib", p.cost.memory >> 20}};
    }
    return out;
}

void add_vault_methods(rpc::MethodTable& table, VaultServices& services) {
    table.add({"vault.status",
               "The vault's state (locked or unlocked), what seals it (key_file or passphrase, with "
               "the Argon2id cost) and how many secrets it holds.",
               {}, false},
              [&services](const Json&) { return vault_status_json(services); });
    table.add_deferred(
        {"vault.unlock",
         "Opens a vault sealed with a passphrase (Argon2id, off the loop); posts that waited for it "
         "go out. A wrong passphrase changes nothing.",
         {ParamSpec{"passphrase", ParamType::string, true, "the vault's passphrase"}}, true},
        [&services](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
            unlock(services, params, std::move(reply));
        });
    table.add({"vault.lock",
               "Wipes the data key from memory; posts that come due wait as needs_auth until "
               "vault.unlock. Only for a vault sealed with a passphrase.",
               {}, true},
              [&services](const Json&) {
                  services.vault.lock();
                  log(LogLevel::info, "vault locked");
                  return vault_status_json(services);
              });
    table.add_deferred(
        {"vault.rekey",
         "Seals the data key under a new passphrase or under growthd's key file, in one "
         "transaction; the secrets themselves are not rewritten.",
         {ParamSpec{"to", ParamType::string, true, "passphrase or key_file"},
          ParamSpec{"passphrase", ParamType::string, false, "the new passphrase (at least 8 characters)"},
          ParamSpec{"kdf_ops", ParamType::integer, false, "Argon2id passes, 1..16 (default 3)"},
          ParamSpec{"kdf_memory_mib", ParamType::integer, false, "Argon2id memory in MiB, 8..1024 (default 256)"}},
         true},
        [&services](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
            rekey(services, params, std::move(reply));
        });
}

}  // namespace growth::daemon
