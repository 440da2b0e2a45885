// The one error type fanflow reports to users: a single line naming what went wrong and where.
#pragma once

#include <stdexcept>
#include <string>

namespace fanflow {

/// An error in the user's input or environment (scenario, edge file, output path, memory).
/// The message is one line and names what and where; the program prints it and exits non-zero.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The run was stopped by a signal (Ctrl-C, SIGTERM); nothing was written.
class Interrupted : public InputError {
 public:
  using InputError::InputError;
};

}  // namespace fanflow
