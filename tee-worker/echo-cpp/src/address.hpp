#pragma once

#include <sys/socket.h>

#include <string>
#include <string_view>

namespace echo {

// A numeric IPv4 or IPv6 socket address with a port.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
};

// Parses "A.B.C.D:PORT" or "[IPv6]:PORT" (port 0..65535). Host names are refused on purpose:
// the service must not depend on name resolution at start-up, and a numeric address says
// exactly which interface is exposed. On failure returns false and sets `error`.
bool parse_socket_address(std::string_view text, SocketAddress& out, std::string& error);

// "A.B.C.D:PORT" or "[IPv6]:PORT"; "?" for an address family we do not handle.
std::string format_socket_address(const sockaddr_storage& address);

}  // namespace echo
