#include "core/rpc/dispatcher.hpp"

#include <fmt/format.h>

#include <string>

#include "core/error.hpp"
#include "core/rpc/deferred.hpp"
#include "core/rpc/error_codes.hpp"
#include "core/rpc/message.hpp"
#include "core/text/utf8.hpp"

namespace growth::rpc {

namespace {

/// Thrown inside the dispatcher for protocol-level errors that carry their own code.
struct ProtocolError {
    ErrorCode code;
    std::string_view kind;
    std::string message;
    Json extra = nullptr;
};

bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

/// The parse error text without nlohmann's "[json.exception.parse_error.101] " prefix.
std::string parse_error_text(const std::exception& e) {
    std::string text = e.what();
    const auto bracket = text.find("] ");
    if (!text.empty() && text.front() == '[' && bracket != std::string::npos) {
        text.erase(0, bracket + 2);
    }
    return text;
}

}  // namespace

Json error_response(const Json& id, std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const ProtocolError& e) {
        return make_error(id, e.code, e.kind, e.message, e.extra);
    } catch (const Error& e) {
        ErrorCode code = ErrorCode::application_error;
        if (e.kind() == kind::invalid_params) code = ErrorCode::invalid_params;
        if (e.kind() == kind::method_not_found) code = ErrorCode::method_not_found;
        return make_error(id, code, e.kind(), e.what());
    } catch (const std::exception& e) {
        return make_error(id, ErrorCode::internal_error, kind::internal_error,
                          std::string("internal error: ") + e.what());
    } catch (...) {
        return make_error(id, ErrorCode::internal_error, kind::internal_error,
                          "internal error: unknown exception");
    }
}

std::optional<Json> Dispatcher::handle_line(std::string_view line,
                                            const CallContext& context) const {
    if (is_blank(line)) return std::nullopt;
    if (!json_depth_within(line, max_json_depth_)) {
        // Refused before parsing: a value this deep would overflow the stack when copied.
        return make_error(nullptr, ErrorCode::invalid_request, kind::invalid_request,
                          fmt::format("the request nests arrays and objects deeper than {} levels "
                                      "(limits.max_json_depth)",
                                      max_json_depth_));
    }
    if (const auto bad = text::find_invalid_utf8(line); bad != std::string_view::npos) {
        return make_error(nullptr, ErrorCode::parse_error, kind::parse_error,
                          "invalid UTF-8 at byte offset " + std::to_string(bad) + " of the request line");
    }
    Json message;
    try {
        message = Json::parse(line);
    } catch (const Json::exception& e) {
        // parse_error, and also out_of_range for a number too large for a double.
        return make_error(nullptr, ErrorCode::parse_error, kind::parse_error, parse_error_text(e));
    }
    return handle(message, context);
}

std::optional<Json> Dispatcher::handle(const Json& message, const CallContext& context) const {
    if (message.is_array()) {
        return make_error(nullptr, ErrorCode::invalid_request, kind::batch_unsupported,
                          "batch requests are not supported; send one request per line");
    }
    if (!message.is_object()) {
        return make_error(nullptr, ErrorCode::invalid_request, kind::invalid_request,
                          "a request must be a JSON object");
    }
    // The id is echoed only when it is of a valid type; otherwise the reply carries null.
    const auto id_it = message.find("id");
    const bool has_id = id_it != message.end();
    const bool id_valid = has_id && (id_it->is_string() || id_it->is_number() || id_it->is_null());
    const Json id = id_valid ? *id_it : Json(nullptr);
    auto invalid = [&](std::string text) {
        return make_error(id, ErrorCode::invalid_request, kind::invalid_request, text);
    };
    const auto version = message.find("jsonrpc");
    if (version == message.end() || !version->is_string() || *version != "2.0") {
        return invalid("\"jsonrpc\" must be \"2.0\"");
    }
    if (has_id && !id_valid) return invalid("\"id\" must be a string, a number or null");
    const auto method_it = message.find("method");
    if (method_it == message.end() || !method_it->is_string()) {
        return invalid("\"method\" must be a string");
    }
    for (const auto& [key, value] : message.items()) {
        if (key != "jsonrpc" && key != "id" && key != "method" && key != "params") {
            return invalid("unexpected member \"" + key + "\"");
        }
    }
    const auto params_it = message.find("params");
    const Json params = params_it == message.end() ? Json(nullptr) : *params_it;
    if (!params.is_null() && !params.is_object() && !params.is_array()) {
        return invalid("\"params\" must be an object");
    }

    const std::string method = method_it->get<std::string>();
    std::optional<Json> response;
    try {
        const auto* entry = table_.find(method);
        if (entry == nullptr) {
            ProtocolError e{ErrorCode::method_not_found, kind::method_not_found,
                            "unknown method '" + method + "'"};
            if (auto suggestion = table_.suggest(method)) {
                e.message += "; did you mean '" + *suggestion + "'?";
                e.extra = Json::object();
                e.extra["suggestion"] = *suggestion;
            }
            throw e;
        }
        MethodTable::check_params(entry->spec, params);
        if (gate_) gate_(entry->spec);
        if (entry->deferred) {
            // A connection owed too many answers is refused before any work starts.
            if (context.late) context.late->admit();
            const Responder reply(id, has_id, context.late);
            try {
                entry->deferred(params.is_null() ? Json::object() : params, context, reply);
            } catch (...) {
                // Thrown before answering: answer now, as an ordinary handler's error.
                if (reply.claim()) response = error_response(id, std::current_exception());
            }
            if (!response) return std::nullopt;
        } else {
            Json result = entry->handler(params.is_null() ? Json::object() : params, context);
            response = make_result(id, std::move(result));
        }
    } catch (...) {
        response = error_response(id, std::current_exception());
    }
    // A notification is never answered, not even with an error (JSON-RPC 2.0 §4.1).
    if (!has_id) return std::nullopt;
    return response;
}

}  // namespace growth::rpc
