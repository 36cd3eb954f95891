#include "address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstdint>
#include <cstring>

namespace echo {
namespace {

bool parse_port(std::string_view text, std::uint16_t& port) {
  unsigned value = 0;
  const char* const end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || stop != end || value > 65535) {
    return false;
  }
  port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

bool parse_socket_address(std::string_view text, SocketAddress& out, std::string& error) {
  const std::string quoted = "'" + std::string(text) + "'";
  std::string_view host;
  std::string_view port_text;
  bool ipv6 = false;

  // IPv6 hosts must be bracketed so the ':' before the port is unambiguous.
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = "invalid address " + quoted + ": expected [IPv6]:PORT";
      return false;
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
    ipv6 = true;
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      error = "invalid address " + quoted + ": expected IPv4:PORT or [IPv6]:PORT";
      return false;
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      error = "invalid address " + quoted + ": write IPv6 addresses in brackets, e.g. [::1]:7000";
      return false;
    }
  }

  std::uint16_t port = 0;
  if (!parse_port(port_text, port)) {
    error = "invalid port in " + quoted + ": expected a number from 0 to 65535";
    return false;
  }

  const std::string host_string(host);  // inet_pton needs a NUL-terminated string
  out = SocketAddress{};
  if (ipv6) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    if (::inet_pton(AF_INET6, host_string.c_str(), &v6->sin6_addr) != 1) {
      error = "invalid IPv6 address in " + quoted;
      return false;
    }
    out.length = sizeof(sockaddr_in6);
  } else {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    if (::inet_pton(AF_INET, host_string.c_str(), &v4->sin_addr) != 1) {
      error = "invalid IPv4 address in " + quoted + " (host names are not resolved)";
      return false;
    }
    out.length = sizeof(sockaddr_in);
  }
  return true;
}

std::string format_socket_address(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    if (::inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host) != nullptr) {
      return std::string(host) + ":" + std::to_string(ntohs(v4->sin_port));
    }
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    if (::inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host) != nullptr) {
      return "[" + std::string(host) + "]:" + std::to_string(ntohs(v6->sin6_port));
    }
  }
  return "?";
}

}  // namespace echo
