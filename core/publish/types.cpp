#include "core/publish/types.hpp"

#include <array>

namespace growth::publish {

std::string_view failure_class_name(FailureClass c) noexcept {
    switch (c) {
        case FailureClass::retry_safe:
            return "retry_safe";
        case FailureClass::rate_limited:
            return "rate_limited";
        case FailureClass::needs_login:
            return "needs_login";
        case FailureClass::permanent:
            return "permanent";
        case FailureClass::ambiguous:
            return "ambiguous";
    }
    return "unknown";
}

}  // namespace growth::publish
