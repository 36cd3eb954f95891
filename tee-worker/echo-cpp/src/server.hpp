#pragma once

#include <poll.h>
#include <signal.h>

#include <chrono>
#include <csignal>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "address.hpp"
#include "connection.hpp"
#include "unique_fd.hpp"

namespace echo {

struct ServerLimits {
  std::size_t max_clients;
  ConnectionLimits connection;
};

// A single-threaded poll() event loop: one listening socket and up to max_clients
// non-blocking client connections. One thread keeps the service simple to reason about and
// small in the measured image; an echo is I/O-bound, so it needs no more.
class Server {
 public:
  // Binds and listens; throws std::system_error (e.g. address in use) on failure.
  Server(const SocketAddress& address, ServerLimits limits);

  // The address actually bound, with the real port when port 0 was asked for.
  std::string local_address() const;

  // Serves clients until `stop_requested` becomes non-zero. The stop signals must be
  // blocked by the caller; `wait_mask` is the signal mask used while waiting in ppoll(),
  // with them unblocked. A signal can then only arrive during the wait and always ends
  // it, so it is never missed between checking the flag and going to sleep.
  void run(const volatile std::sig_atomic_t& stop_requested, const sigset_t& wait_mask);

 private:
  using Clock = std::chrono::steady_clock;

  bool accepting_now();
  const timespec* accept_pause_timeout(timespec& storage) const;
  void accept_clients();
  void pause_accepting(const std::string& reason);
  void service_connections(const std::vector<pollfd>& fds);

  UniqueFd listener_;
  ServerLimits limits_;
  std::vector<Connection> connections_;
  std::optional<Clock::time_point> accept_paused_until_;
  bool accept_failing_ = false;  // between a failed accept() and the next successful one
};

}  // namespace echo
