// Starting the sampler's process with pipes, and the line protocol over them.
#include "calibration/sampler_process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "core/error.hpp"

namespace fanflow::calibration {

SamplerProcess::SamplerProcess(const std::vector<std::string>& argv, const std::vector<std::string>& environment) {
  int to_child[2], from_child[2];
  if (pipe(to_child) != 0) throw InputError(std::string("cannot start the sampler: ") + std::strerror(errno));
  if (pipe(from_child) != 0) {
    close(to_child[0]), close(to_child[1]);
    throw InputError(std::string("cannot start the sampler: ") + std::strerror(errno));
  }
  std::vector<std::string> args = argv, env = environment;
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);
  std::fflush(nullptr);  // the child inherits stderr: nothing buffered may be printed twice
  pid_ = fork();
  if (pid_ < 0) throw InputError(std::string("cannot start ") + argv[0] + ": " + std::strerror(errno));
  if (pid_ == 0) {
    dup2(to_child[0], STDIN_FILENO);
    dup2(from_child[1], STDOUT_FILENO);
    close(to_child[0]), close(to_child[1]), close(from_child[0]), close(from_child[1]);
    // Ctrl-C reaches the whole process group: fanflow stops the calibration, the sampler ends when its input does.
    std::signal(SIGINT, SIG_IGN);
    for (std::string& assignment : env) putenv(assignment.data());
    execv(arg_pointers[0], arg_pointers.data());
    std::fprintf(stderr, "fanflow: error: cannot run %s: %s\n", arg_pointers[0], std::strerror(errno));
    _exit(2);
  }
  close(to_child[0]), close(from_child[1]);
  to_ = fdopen(to_child[1], "w");
  from_ = fdopen(from_child[0], "r");
  std::signal(SIGPIPE, SIG_IGN);  // a sampler that died is seen as a failed write, not a killed fanflow
}

SamplerProcess::~SamplerProcess() {
  if (pid_ > 0) {
    if (to_) std::fclose(to_), to_ = nullptr;
    int status = 0;
    // After an error on fanflow's side the sampler may still be busy: it ends at the end of its input.
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (from_) std::fclose(from_);
}

void SamplerProcess::send(const std::string& line) {
  if (!to_ || std::fputs(line.c_str(), to_) < 0 || std::fputc('\n', to_) == EOF || std::fflush(to_) != 0)
    throw InputError("the sampler process stopped reading (see its message above)");
}

bool SamplerProcess::receive(std::string& line) {
  line.clear();
  int c = 0;
  while (true) {
    c = std::fgetc(from_);
    if (c == EOF) {
      if (std::ferror(from_) && errno == EINTR) {
        std::clearerr(from_);
        continue;
      }
      return !line.empty();
    }
    if (c == '\n') return true;
    line.push_back(static_cast<char>(c));
  }
}

int SamplerProcess::finish() {
  if (to_) std::fclose(to_), to_ = nullptr;
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0)
    if (errno != EINTR) throw InputError(std::string("lost the sampler process: ") + std::strerror(errno));
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

}  // namespace fanflow::calibration
