#include "core/rpc/method_table.hpp"

#include <stdexcept>

#include "core/error.hpp"
#include "core/rpc/error_codes.hpp"
#include "core/did_you_mean.hpp"

namespace growth::rpc {

std::string_view to_string(ParamType type) noexcept {
    switch (type) {
        case ParamType::string: return "string";
        case ParamType::integer: return "integer";
        case ParamType::boolean: return "boolean";
        case ParamType::number: return "number";
        case ParamType::object: return "object";
        case ParamType::array: return "array";
        case ParamType::any: return "any";
    }
    return "any";
}

namespace {

bool has_type(const Json& value, ParamType type) {
    switch (type) {
        case ParamType::string: return value.is_string();
        case ParamType::integer: return value.is_number_integer();
        case ParamType::boolean: return value.is_boolean();
        case ParamType::number: return value.is_number();
        case ParamType::object: return value.is_object();
        case ParamType::array: return value.is_array();
        case ParamType::any: return true;
    }
    return false;
}

std::string_view article(ParamType type) {
    return type == ParamType::integer || type == ParamType::object || type == ParamType::array ||
                   type == ParamType::any
               ? "an "
               : "a ";
}

}  // namespace

void MethodTable::add(MethodSpec spec, Handler handler) {
    if (!handler) throw std::logic_error("method " + spec.name + " has no handler");
    std::string name = spec.name;
    const auto [it, inserted] =
        entries_.try_emplace(name, Entry{std::move(spec), std::move(handler), {}});
    if (!inserted) throw std::logic_error("method " + name + " registered twice");
}

void MethodTable::add_deferred(MethodSpec spec, DeferredHandler handler) {
    if (!handler) throw std::logic_error("method " + spec.name + " has no handler");
    std::string name = spec.name;
    const auto [it, inserted] =
        entries_.try_emplace(name, Entry{std::move(spec), {}, std::move(handler)});
    if (!inserted) throw std::logic_error("method " + name + " registered twice");
}

void MethodTable::add(MethodSpec spec, SimpleHandler handler) {
    if (!handler) throw std::logic_error("method " + spec.name + " has no handler");
    add(std::move(spec), Handler([h = std::move(handler)](const Json& params, const CallContext&) {
            return h(params);
        }));
}

const MethodTable::Entry* MethodTable::find(std::string_view name) const noexcept {
    const auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::string> MethodTable::names() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const auto& [name, entry] : entries_) out.push_back(name);
    return out;
}

std::optional<std::string> MethodTable::suggest(std::string_view name) const {
    return did_you_mean(name, names());
}

void MethodTable::check_params(const MethodSpec& spec, const Json& params) {
    const std::string kind(rpc::kind::invalid_params);
    if (params.is_null()) {
        for (const auto& p : spec.params) {
            if (p.required) throw Error(kind, spec.name + ": missing parameter '" + p.name + "'");
        }
        return;
    }
    if (!params.is_object()) {
        throw Error(kind, spec.name + ": params must be an object (named parameters only)");
    }
    for (const auto& [key, value] : params.items()) {
        const ParamSpec* match = nullptr;
        for (const auto& p : spec.params) {
            if (p.name == key) match = &p;
        }
        if (match == nullptr) throw Error(kind, spec.name + ": unknown parameter '" + key + "'");
        if (!has_type(value, match->type)) {
            throw Error(kind, spec.name + ": parameter '" + key + "' must be " +
                                  std::string(article(match->type)) +
                                  std::string(to_string(match->type)));
        }
    }
    for (const auto& p : spec.params) {
        if (p.required && !params.contains(p.name)) {
            throw Error(kind, spec.name + ": missing parameter '" + p.name + "'");
        }
    }
}

Json MethodTable::describe() const {
    Json methods = Json::array();
    for (const auto& [name, entry] : entries_) {
        Json params = Json::array();
        for (const auto& p : entry.spec.params) {
            Json param = Json::object();
            param["name"] = p.name;
            param["type"] = to_string(p.type);
            param["required"] = p.required;
            param["summary"] = p.summary;
            params.push_back(std::move(param));
        }
        Json method = Json::object();
        method["name"] = name;
        method["summary"] = entry.spec.summary;
        method["mutates"] = entry.spec.mutates;
        method["params"] = std::move(params);
        methods.push_back(std::move(method));
    }
    Json out = Json::object();
    out["methods"] = std::move(methods);
    return out;
}

}  // namespace growth::rpc
