// The sampler's process: Debian's Python running fanflow_analysis.calibration (Optuna's ask-and-tell on the trial
// store), started as a child with a pipe each way. It asks for trials to be evaluated and fanflow answers, one line
// at a time; its messages on stderr reach the terminal directly.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <string>
#include <vector>

namespace fanflow::calibration {

class SamplerProcess {
 public:
  /// Starts `argv` (argv[0] the interpreter's path) with the extra environment `environment` ("NAME=value").
  SamplerProcess(const std::vector<std::string>& argv, const std::vector<std::string>& environment);
  ~SamplerProcess();
  SamplerProcess(const SamplerProcess&) = delete;
  SamplerProcess& operator=(const SamplerProcess&) = delete;

  /// Sends one line (a newline is added).
  void send(const std::string& line);
  /// The next line the process wrote, without its newline; false at the end of its output.
  bool receive(std::string& line);
  /// Closes its input (it ends when it reads the end) and waits; returns its exit status (128 + signal when
  /// killed).
  int finish();

 private:
  pid_t pid_ = -1;
  std::FILE* to_ = nullptr;    // its standard input
  std::FILE* from_ = nullptr;  // its standard output
};

}  // namespace fanflow::calibration
