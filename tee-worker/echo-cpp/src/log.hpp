#pragma once

#include <iostream>
#include <string>

namespace echo {

// One diagnostic line on stderr. Built as a single string and written at once so that a
// line is never split, whatever the stream's buffering.
inline void log_line(const std::string& message) {
  std::cerr << ("echo-cpp: " + message + "\n") << std::flush;
}

}  // namespace echo
