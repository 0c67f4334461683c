#pragma once

#include <string_view>

namespace llmrt::core {

// Refuses an API base no request could be sent to, before anything is sent: throws Error
// (bad_request) "WHERE: 'URL' is not a usable API base: REASON" unless `url` is empty (the
// plugin's default) or an absolute http:// or https:// URL with a host and a valid port.
// `where` says where the value came from ("--api-base", "llmrt.json: $.models.a.api_base").
// A user name and password in the URL are not shown.
void check_api_base(std::string_view url, std::string_view where);

// The same for an API base a user gave (a flag, a file's member, an argument), where empty is
// refused too: it would mean the provider's own servers, so a variable left unset
// (`--api-base "$BASE"`) would send the key there instead of to the server meant.
void check_given_api_base(std::string_view url, std::string_view where);

}  // namespace llmrt::core
