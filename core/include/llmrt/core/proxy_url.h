#pragma once

#include <string_view>

namespace llmrt::core {

// Refuses a proxy URL no call could go through, before anything is sent: throws Error
// (bad_request) "WHERE: proxy URL …" unless `url` is empty (none) or an http:// proxy with a
// host and a valid port. `where` says where the value came from ("--proxy",
// "llmrt.json: $.models.a.proxy"). Its user name and password are not shown.
void check_proxy_url(std::string_view url, std::string_view where);

}  // namespace llmrt::core
