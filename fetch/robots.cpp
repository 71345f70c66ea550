#include "fetch/robots.hpp"

#include "util/ascii.hpp"
#include "util/text_parts.hpp"

#include <algorithm>
#include <charconv>

namespace archiver {
namespace {

// Does pattern (with '*' and a trailing '$') match the start of path? Iterative backtracking
// over the last '*', linear in practice and never recursive.
bool matches(std::string_view pattern, std::string_view path) {
  bool anchored = false;
  if (!pattern.empty() && pattern.back() == '$') {
    anchored = true;
    pattern.remove_suffix(1);
  }
  std::size_t p = 0;
  std::size_t s = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_s = 0;
  while (true) {
    if (p == pattern.size()) {
      if (!anchored || s == path.size()) {
        return true;
      }
    } else if (pattern[p] == '*') {
      star = p++;
      star_s = s;
      continue;
    } else if (s < path.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
      continue;
    }
    if (star == std::string_view::npos || star_s >= path.size()) {
      return false;
    }
    p = star + 1;
    s = ++star_s;
  }
}

}  // namespace

RobotsRules RobotsRules::allow_all() { return RobotsRules{}; }

RobotsRules RobotsRules::disallow_all() {
  RobotsRules rules;
  rules.m_disallow_all = true;
  return rules;
}

RobotsRules RobotsRules::parse(std::string_view text, std::string_view token) {
  // RFC 9309 asks parsers to read at least 500 KiB; more is not needed.
  text = text.substr(0, std::min<std::size_t>(text.size(), 512U * 1024U));
  const std::string wanted = ascii_lower(token);
  struct Group {
    std::vector<std::string> agents;
    std::vector<Rule> rules;
    std::optional<std::chrono::milliseconds> delay;
  };
  std::vector<Group> groups;
  bool in_rules = true;  // a user-agent line after rules starts a new group
  for (std::string_view line : text_parts(text, "\r\n")) {
    line = line.substr(0, line.find('#'));
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      continue;  // blank lines do not end a group (RFC 9309 2.2)
    }
    const std::string key = ascii_lower(ascii_trim(line.substr(0, colon)));
    const std::string_view value = ascii_trim(line.substr(colon + 1));
    if (key == "user-agent") {
      if (in_rules || groups.empty()) {
        groups.emplace_back();
        in_rules = false;
      }
      groups.back().agents.push_back(ascii_lower(value));
      continue;
    }
    if (groups.empty()) {
      continue;  // rules before any user-agent line belong to nobody
    }
    in_rules = true;
    if (key == "allow" || key == "disallow") {
      if (!value.empty()) {  // an empty Disallow allows everything: no rule
        groups.back().rules.push_back({.pattern = std::string(value), .allow = key == "allow"});
      }
    } else if (key == "crawl-delay") {
      double seconds = 0;
      const auto parsed = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (parsed.ec == std::errc{} && seconds >= 0 && seconds <= 3600) {
        groups.back().delay =
            std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
      }
    }
  }
  // Our groups, all merged; the "*" groups when none names us.
  RobotsRules rules;
  const auto take = [&](std::string_view agent) {
    bool any = false;
    for (const auto& group : groups) {
      if (std::ranges::find(group.agents, agent) != group.agents.end()) {
        rules.m_rules.insert(rules.m_rules.end(), group.rules.begin(), group.rules.end());
        if (group.delay) {
          rules.m_crawl_delay = std::max(rules.m_crawl_delay.value_or(*group.delay), *group.delay);
        }
        any = true;
      }
    }
    return any;
  };
  if (!take(wanted)) {
    take("*");
  }
  return rules;
}

bool RobotsRules::allows(std::string_view path) const {
  if (path == "/robots.txt") {
    return true;
  }
  if (m_disallow_all) {
    return false;
  }
  std::size_t best_length = 0;
  bool allowed = true;
  bool matched = false;
  for (const auto& rule : m_rules) {
    if (!matches(rule.pattern, path)) {
      continue;
    }
    const std::size_t length = rule.pattern.size();
    if (!matched || length > best_length || (length == best_length && rule.allow)) {
      best_length = length;
      allowed = rule.allow;
      matched = true;
    }
  }
  return allowed;
}

std::string robots_token(std::string_view user_agent) {
  const auto end = user_agent.find_first_of("/ ");
  return std::string(user_agent.substr(0, end));
}

}  // namespace archiver
