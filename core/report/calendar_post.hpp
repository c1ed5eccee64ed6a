#pragma once
// A post as `growthctl calendar` shows it: what post.list reports of it, with its due time read.

#include <string>
#include <vector>

#include "core/time/when.hpp"

namespace growth::report {

struct CalendarTarget {
    std::string account, platform, state;
};

struct CalendarPost {
    std::string id;
    std::string state;       ///< the post's list state: scheduled, publishing, published, partial, ...
    timeexpr::Seconds due;   ///< due (or recorded, for a post published at once), UTC
    std::string text;
    std::vector<CalendarTarget> targets;
};

}  // namespace growth::report
