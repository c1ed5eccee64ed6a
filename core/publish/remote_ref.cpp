#include "core/publish/remote_ref.hpp"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/http/encoding.hpp"
#include "core/publish/bluesky.hpp"
#include "core/publish/facebook.hpp"
#include "core/publish/linkedin.hpp"
#include "core/publish/x.hpp"

namespace growth::publish {

namespace {

bool all_digits(std::string_view s, std::size_t max = 30) {
    return !s.empty() && s.size() <= max &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_url(std::string_view s) {
    return s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
}

struct Url {
    std::string host;                 ///< lower-case, without "www." / "mobile."
    std::vector<std::string> path;    ///< non-empty segments, percent-decoded
    std::vector<std::pair<std::string, std::string>> query;  ///< decoded
    std::string query_value(std::string_view key) const {
        for (const auto& [k, v] : query) {
            if (k == key) return v;
        }
        return {};
    }
};

Url split_url(std::string_view s) {
    Url u;
    s.remove_prefix(s.find("://") + 3);
    if (auto hash = s.find('#'); hash != std::string_view::npos) s = s.substr(0, hash);
    std::string_view query;
    if (auto q = s.find('?'); q != std::string_view::npos) {
        query = s.substr(q + 1);
        s = s.substr(0, q);
    }
    auto slash = s.find('/');
    std::string host(s.substr(0, slash));
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::string_view prefix : {"www.", "mobile.", "m."}) {
        if (host.rfind(prefix, 0) == 0) host.erase(0, prefix.size());
    }
    u.host = host;
    std::string_view path = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
    while (!path.empty()) {
        path.remove_prefix(1);
        auto next = path.find('/');
        auto seg = path.substr(0, next);
        if (!seg.empty()) u.path.push_back(http::percent_decode(seg));
        if (next == std::string_view::npos) break;
        path = path.substr(next);
    }
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        auto eq = pair.find('=');
        u.query.emplace_back(http::percent_decode(pair.substr(0, eq), true),
                             eq == std::string_view::npos
                                 ? std::string()
                                 : http::percent_decode(pair.substr(eq + 1), true));
        if (amp == std::string_view::npos) break;
        query = query.substr(amp + 1);
    }
    return u;
}

Published make(std::string id, std::string url) {
    Published p;
    p.remote_id = id;
    p.url = url;
    p.ref = PartRef{std::move(id), "", std::move(url)};
    return p;
}

std::string after_underscore(std::string_view id) {
    auto u = id.find('_');
    return std::string(u == std::string_view::npos ? id : id.substr(u + 1));
}

std::optional<Published> x_ref(const Account& a, std::string_view given, std::string& problem) {
    std::string id;
    if (all_digits(given, 19)) {
        id = given;
    } else if (is_url(given)) {
        auto u = split_url(given);
        if ((u.host == "x.com" || u.host == "twitter.com") && u.path.size() >= 3 &&
            u.path[1] == "status" && all_digits(u.path[2], 19)) {
            id = u.path[2];
        }
    }
    if (id.empty()) {
        problem = "an X post is https://x.com/USER/status/ID or its numeric ID";
        return std::nullopt;
    }
    return make(id, x::post_url(a, id));
}

std::optional<Published> mastodon_ref(std::string_view given, std::string& problem) {
    if (all_digits(given)) return make(std::string(given), "");
    if (is_url(given)) {
        auto u = split_url(given);
        if (u.path.size() >= 2 && all_digits(u.path.back()) &&
            (u.path[u.path.size() - 2].rfind('@', 0) == 0 ||
             u.path[u.path.size() - 2] == "statuses")) {
            return make(u.path.back(), std::string(given));
        }
    }
    problem = "a Mastodon post is https://INSTANCE/@USER/ID or its numeric ID";
    return std::nullopt;
}

std::optional<Published> facebook_ref(const Account& a, std::string_view given, int index,
                                      const std::optional<PartRef>& root, std::string& problem) {
    const std::string& page = a.user_id;
    if (index == 1) {
        std::string post;
        if (!is_url(given) && given.find('_') != std::string_view::npos) {
            auto left = given.substr(0, given.find('_'));
            auto right = given.substr(given.find('_') + 1);
            if (all_digits(left) && all_digits(right)) {
                if (left != page) {
                    problem = fmt::format("post {} belongs to Page {}, not to this account's Page {}",
                                          given, left, page);
                    return std::nullopt;
                }
                post = right;
            }
        } else if (all_digits(given)) {
            post = given;
        } else if (is_url(given)) {
            auto u = split_url(given);
            if (u.host == "facebook.com" && u.path.size() == 3 && u.path[1] == "posts" &&
                all_digits(u.path[2])) {
                if (all_digits(u.path[0]) && u.path[0] != page) {
                    problem = fmt::format("that URL is a post of Page {}, not of this account's "
                                          "Page {}",
                                          u.path[0], page);
                    return std::nullopt;
                }
                post = u.path[2];
            } else if (u.host == "facebook.com" && u.path.size() == 1 &&
                       u.path[0] == "permalink.php" && all_digits(u.query_value("story_fbid"))) {
                post = u.query_value("story_fbid");
            }
        }
        if (post.empty()) {
            problem = "a Facebook post is https://www.facebook.com/PAGE/posts/ID (numeric ID), "
                      "PAGEID_POSTID or the numeric post ID; for a pfbid… link, open the post's "
                      "menu and copy its numeric id";
            return std::nullopt;
        }
        std::string id = page + "_" + post;
        return make(id, facebook::post_url(a, id));
    }
    std::string comment;
    const std::string root_local = after_underscore(root->id);
    if (is_url(given)) {
        auto u = split_url(given);
        if (u.host == "facebook.com" && all_digits(u.query_value("comment_id"))) {
            comment = u.query_value("comment_id");
        }
    } else if (given.find('_') != std::string_view::npos) {
        auto left = given.substr(0, given.find('_'));
        auto right = given.substr(given.find('_') + 1);
        if (all_digits(left) && all_digits(right)) {
            if (left != root_local) {
                problem = fmt::format("comment {} is not on this thread's post {}", given, root->id);
                return std::nullopt;
            }
            comment = right;
        }
    } else if (all_digits(given)) {
        comment = given;
    }
    if (comment.empty()) {
        problem = "a Facebook comment is a post URL with ?comment_id=ID, POSTID_COMMENTID or the "
                  "numeric comment ID";
        return std::nullopt;
    }
    std::string id = root_local + "_" + comment;
    return make(id, facebook::comment_url(root->url.empty() ? facebook::post_url(a, root->id)
                                                            : root->url,
                                          id));
}

bool linkedin_post_urn(std::string_view s) {
    for (std::string_view prefix : {"urn:li:share:", "urn:li:ugcPost:"}) {
        if (s.rfind(prefix, 0) == 0 && all_digits(s.substr(prefix.size()))) return true;
    }
    return false;
}

bool linkedin_comment_urn(std::string_view s) {
    return s.rfind("urn:li:comment:(", 0) == 0 && s.back() == ')';
}

std::optional<Published> linkedin_ref(const Account& a, std::string_view given, int index,
                                      const std::optional<PartRef>& root, std::string& problem) {
    std::string urn;
    if (index == 1) {
        if (linkedin_post_urn(given)) {
            urn = given;
        } else if (is_url(given)) {
            auto u = split_url(given);
            if (u.host == "linkedin.com" && u.path.size() == 3 && u.path[0] == "feed" &&
                u.path[1] == "update" && linkedin_post_urn(u.path[2])) {
                urn = u.path[2];
            }
        }
        if (urn.empty()) {
            problem = "a LinkedIn post is https://www.linkedin.com/feed/update/URN/ or its URN "
                      "(urn:li:share:N or urn:li:ugcPost:N)";
            return std::nullopt;
        }
        return make(urn, linkedin::post_url(a, urn));
    }
    if (linkedin_comment_urn(given)) {
        urn = given;
    } else if (is_url(given)) {
        auto u = split_url(given);
        if (u.host == "linkedin.com" && linkedin_comment_urn(u.query_value("commentUrn")))
            urn = u.query_value("commentUrn");
    }
    if (urn.empty()) {
        problem = "a LinkedIn comment is a post URL with ?commentUrn=URN or its URN "
                  "(urn:li:comment:(...))";
        return std::nullopt;
    }
    return make(urn, http::with_query(linkedin::post_url(a, root->id), {{"commentUrn", urn}}));
}

std::optional<Published> graph_media_ref(std::string_view display, std::string_view given,
                                         int index, const std::optional<PartRef>& root,
                                         bool comments, std::string& problem) {
    if (!all_digits(given)) {
        problem = fmt::format(
            "give the numeric {} id: a {} URL names a shortcode, not the id growth needs to "
            "reply to it",
            display, display);
        return std::nullopt;
    }
    // Instagram comments have no page of their own: they show the post's URL.
    return make(std::string(given), comments && index > 1 && root ? root->url : "");
}

}  // namespace

std::optional<Published> published_from_user(const Account& account, std::string_view given,
                                             int index, const std::optional<PartRef>& root,
                                             std::string& problem) {
    if (given.empty()) {
        problem = "give the URL or id of the published part";
        return std::nullopt;
    }
    if (index > 1 && (!root || root->id.empty())) {
        problem = "the thread's first part is not published";
        return std::nullopt;
    }
    switch (account.platform) {
        case Platform::x:
            return x_ref(account, given, problem);
        case Platform::mastodon:
            return mastodon_ref(given, problem);
        case Platform::facebook:
            return facebook_ref(account, given, index, root, problem);
        case Platform::linkedin:
            return linkedin_ref(account, given, index, root, problem);
        case Platform::instagram:
            return graph_media_ref("Instagram", given, index, root, true, problem);
        case Platform::threads:
            return graph_media_ref("Threads", given, index, root, false, problem);
        case Platform::bluesky:
            problem = "a Bluesky URL gives no CID, which the next part needs";
            return std::nullopt;
    }
    problem = "unknown platform";
    return std::nullopt;
}

std::string bluesky_rkey_of(std::string_view given) {
    std::string did, rkey;
    if (given.rfind("at://", 0) == 0) {
        if (bluesky::split_at_uri(given, did, rkey)) return rkey;
        return {};
    }
    if (!is_url(given)) return {};
    auto u = split_url(given);
    if (u.path.size() == 4 && u.path[0] == "profile" && u.path[2] == "post") return u.path[3];
    return {};
}

}  // namespace growth::publish
