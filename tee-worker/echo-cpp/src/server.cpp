#include "server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>
#include <utility>

#include "log.hpp"

namespace echo {
namespace {

// How long to stop accepting after running out of descriptors or memory. Without a pause
// the still-pending connection would make poll() return at once, forever.
constexpr std::chrono::milliseconds kAcceptPause{100};

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

UniqueFd open_listener(const SocketAddress& address) {
  const std::string shown = format_socket_address(address.storage);
  UniqueFd fd(::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    throw_errno("cannot create a socket for " + shown);
  }
  // Lets a restarted service bind while connections of the previous run sit in TIME_WAIT.
  // On Linux it does not let two processes listen on the same port.
  const int on = 1;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) {
    throw_errno("cannot set SO_REUSEADDR on " + shown);
  }
  if (::bind(fd.get(), address.get(), address.length) != 0) {
    throw_errno("cannot listen on " + shown);
  }
  if (::listen(fd.get(), SOMAXCONN) != 0) {
    throw_errno("cannot listen on " + shown);
  }
  return fd;
}

void disable_nagle(int fd) {
  // Echoes are small writes answering small reads; Nagle's algorithm combined with the
  // client's delayed ACKs would hold them back by tens of milliseconds. Best effort.
  const int on = 1;
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

}  // namespace

Server::Server(const SocketAddress& address, ServerLimits limits)
    : listener_(open_listener(address)), limits_(limits) {
  connections_.reserve(limits_.max_clients);
}

std::string Server::local_address() const {
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  if (::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
    throw_errno("getsockname");
  }
  return format_socket_address(bound);
}

void Server::run(const volatile std::sig_atomic_t& stop_requested, const sigset_t& wait_mask) {
  std::vector<pollfd> fds;
  fds.reserve(limits_.max_clients + 1);
  while (stop_requested == 0) {
    // fds[0] is the listener, fds[i + 1] belongs to connections_[i]. A negative fd is
    // ignored by poll(): at max_clients new connections simply wait in the backlog.
    fds.clear();
    fds.push_back(pollfd{accepting_now() ? listener_.get() : -1, POLLIN, 0});
    for (const Connection& connection : connections_) {
      fds.push_back(pollfd{connection.fd(), connection.poll_events(), 0});
    }

    timespec timeout{};
    const int ready = ::ppoll(fds.data(), fds.size(), accept_pause_timeout(timeout), &wait_mask);
    if (ready < 0) {
      if (errno == EINTR) {
        continue;  // a stop signal (checked by the loop condition) or another harmless one
      }
      throw_errno("poll");
    }
    service_connections(fds);
    if ((fds[0].revents & POLLIN) != 0) {
      accept_clients();
    }
  }
}

bool Server::accepting_now() {
  if (accept_paused_until_) {
    if (Clock::now() < *accept_paused_until_) {
      return false;
    }
    accept_paused_until_.reset();  // expired: a stale deadline would make ppoll() spin
  }
  return connections_.size() < limits_.max_clients;
}

const timespec* Server::accept_pause_timeout(timespec& storage) const {
  if (!accept_paused_until_) {
    return nullptr;  // nothing to wake up for but I/O and signals
  }
  const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(
      *accept_paused_until_ - Clock::now());
  const auto nanos = left.count() > 0 ? left.count() : 0;
  storage.tv_sec = static_cast<time_t>(nanos / 1'000'000'000);
  storage.tv_nsec = static_cast<long>(nanos % 1'000'000'000);
  return &storage;
}

void Server::service_connections(const std::vector<pollfd>& fds) {
  // Finished connections are removed in one compacting pass after all events are handled,
  // so indices into `fds` stay valid. Overwriting or erasing a Connection closes its socket.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < connections_.size(); ++i) {
    const short revents = fds[i + 1].revents;
    if (revents != 0 && !connections_[i].handle_events(revents)) {
      continue;
    }
    if (kept != i) {
      connections_[kept] = std::move(connections_[i]);
    }
    ++kept;
  }
  connections_.erase(connections_.begin() + static_cast<std::ptrdiff_t>(kept), connections_.end());
}

void Server::accept_clients() {
  while (connections_.size() < limits_.max_clients) {
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    UniqueFd client(::accept4(listener_.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                              SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (client) {
      if (accept_failing_) {
        log_line("accepting connections again");
        accept_failing_ = false;
      }
      disable_nagle(client.get());
      connections_.emplace_back(std::move(client), format_socket_address(peer), limits_.connection);
      continue;
    }
    const int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK) {
      return;  // backlog drained
    }
    if (error == EINTR || error == ECONNABORTED) {
      continue;  // that client gave up before we took it; try the next
    }
    // EMFILE, ENFILE, ENOBUFS, ENOMEM, or a network error Linux passes through accept().
    pause_accepting(std::system_category().message(error));
    return;
  }
}

void Server::pause_accepting(const std::string& reason) {
  // Logged once per episode, not once per pause: running out of descriptors can last.
  if (!accept_failing_) {
    log_line("cannot accept connections (" + reason + "); retrying every " +
             std::to_string(kAcceptPause.count()) + " ms");
    accept_failing_ = true;
  }
  accept_paused_until_ = Clock::now() + kAcceptPause;
}

}  // namespace echo
