// MPI distribution of sweep runs. Messages (MPI_COMM_WORLD): a worker sends kResult (its previous run's metrics,
// or nothing at first) or kError (a message); rank 0 answers kAssign (a run index, then what the
// assignment adds, as doubles) or kStop.
#include "experiments/distributed.hpp"

#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/error.hpp"
#include "sim/run.hpp"

#ifdef FANFLOW_WITH_MPI
#include <mpi.h>
#endif

namespace fanflow::experiments {

int launched_processes() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"})
    if (const char* value = std::getenv(name)) {
      const int size = std::atoi(value);
      if (size > 1) return size;
    }
  return 1;
}

#ifdef FANFLOW_WITH_MPI

namespace {

enum Tag : int { kResult = 1, kError = 2, kAssign = 3, kStop = 4 };

/// A run's metrics as doubles: [run, ticks, threads, wall, facts, focal, focal series (counts), series...,
/// summary..., facts..., focal..., focal series...].
std::vector<double> pack(std::uint64_t run, const RunMetrics& m) {
  std::vector<double> out = {double(run),
                             double(m.ticks),
                             double(m.threads),
                             m.wall_seconds,
                             double(m.facts.size()),
                             double(m.focal.size()),
                             double(m.focal_series.size())};
  for (const auto* part : {&m.series, &m.summary, &m.facts, &m.focal, &m.focal_series})
    out.insert(out.end(), part->begin(), part->end());
  return out;
}

std::uint64_t unpack(const std::vector<double>& in, RunMetrics& m) {
  m.ticks = static_cast<std::uint32_t>(in[1]);
  m.threads = static_cast<int>(in[2]);
  m.wall_seconds = in[3];
  auto next = in.begin() + 7;
  auto take = [&](std::vector<double>& part, std::size_t count) {
    part.assign(next, next + static_cast<std::ptrdiff_t>(count));
    next += static_cast<std::ptrdiff_t>(count);
  };
  take(m.series, series_metrics().size() * m.ticks);
  take(m.summary, summary_metrics().size());
  take(m.facts, static_cast<std::size_t>(in[4]));
  take(m.focal, static_cast<std::size_t>(in[5]));
  take(m.focal_series, static_cast<std::size_t>(in[6]));
  return static_cast<std::uint64_t>(in[0]);
}

/// Receives the next worker message (polling, so that an interruption is noticed): its source, tag and payload.
struct Message {
  int source = 0, tag = 0;
  std::vector<double> numbers;
  std::string text;
};

Message receive_from_worker() {
  MPI_Status status;
  int ready = 0;
  while (true) {
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &ready, &status);
    if (ready) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  Message message;
  message.source = status.MPI_SOURCE;
  message.tag = status.MPI_TAG;
  int count = 0;
  if (message.tag == kError) {
    MPI_Get_count(&status, MPI_CHAR, &count);
    message.text.resize(static_cast<std::size_t>(count));
    MPI_Recv(message.text.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
  } else {
    MPI_Get_count(&status, MPI_DOUBLE, &count);
    message.numbers.resize(static_cast<std::size_t>(count));
    MPI_Recv(message.numbers.data(), count, MPI_DOUBLE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
  }
  return message;
}

void send_stop(int worker) { MPI_Send(nullptr, 0, MPI_DOUBLE, worker, kStop, MPI_COMM_WORLD); }

}  // namespace

bool built_with_mpi() { return true; }

MpiSession::MpiSession() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

Coordinator::Coordinator(const MpiSession& session) : size_(session.size()), active_(session.size() - 1) {}

void Coordinator::assign(int worker, std::uint64_t run, const Assignment& assignment) {
  std::vector<double> message{static_cast<double>(run)};  // run indices stay far below 2^53
  if (assignment) {
    const std::vector<double> extra = assignment(run);
    message.insert(message.end(), extra.begin(), extra.end());
  }
  MPI_Send(message.data(), static_cast<int>(message.size()), MPI_DOUBLE, worker, kAssign, MPI_COMM_WORLD);
}

void Coordinator::run(const std::vector<std::uint64_t>& todo,
                      const std::function<void(std::uint64_t, RunMetrics&&)>& deliver, const Assignment& assignment,
                      bool keep_workers) {
  std::size_t next = 0, in_flight = 0;
  std::string failure;
  // Workers kept from the previous call take the first runs.
  while (!waiting_.empty() && next < todo.size() && !sim::interrupt_requested.load()) {
    assign(waiting_.back(), todo[next++], assignment);
    waiting_.pop_back();
    ++in_flight;
  }
  while (active_ > 0) {
    if (!failure.empty() || sim::interrupt_requested.load()) break;  // release() below stops every worker
    if (keep_workers && in_flight == 0 && next >= todo.size()) break;
    Message message = receive_from_worker();
    const bool had_run = message.tag == kError || !message.numbers.empty();  // not a worker's first "ready"
    if (had_run && in_flight > 0) --in_flight;
    if (message.tag == kError && failure.empty()) failure = message.text;
    if (message.tag == kResult && !message.numbers.empty() && failure.empty()) {
      RunMetrics metrics;
      const std::uint64_t run = unpack(message.numbers, metrics);
      try {
        deliver(run, std::move(metrics));
      } catch (const std::exception& error) {
        failure = error.what();
      }
    }
    const bool stopping = !failure.empty() || sim::interrupt_requested.load();
    if (stopping || (next >= todo.size() && keep_workers)) {
      waiting_.push_back(message.source);
    } else if (next >= todo.size()) {
      send_stop(message.source);
      --active_;
    } else {
      assign(message.source, todo[next++], assignment);
      ++in_flight;
    }
  }
  if (!failure.empty() || sim::interrupt_requested.load()) release();
  if (sim::interrupt_requested.load()) throw Interrupted("interrupted");
  if (!failure.empty()) throw InputError(failure);
}

void Coordinator::release() {
  for (int worker : waiting_) send_stop(worker), --active_;
  waiting_.clear();
  while (active_ > 0) {
    Message message = receive_from_worker();
    send_stop(message.source);
    --active_;
  }
}

void serve_runs(const std::function<RunMetrics(std::uint64_t, const std::vector<double>&)>& run_one,
                const std::string& setup_error) {
  if (!setup_error.empty())
    MPI_Send(setup_error.data(), static_cast<int>(setup_error.size()), MPI_CHAR, 0, kError, MPI_COMM_WORLD);
  else
    MPI_Send(nullptr, 0, MPI_DOUBLE, 0, kResult, MPI_COMM_WORLD);  // ready for the first run
  while (true) {
    MPI_Status status;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    int count = 0;
    MPI_Get_count(&status, MPI_DOUBLE, &count);
    std::vector<double> message(static_cast<std::size_t>(std::max(count, 0)));
    MPI_Recv(message.data(), count, MPI_DOUBLE, 0, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (status.MPI_TAG == kStop) return;
    const auto run = static_cast<std::uint64_t>(message.at(0));
    try {
      const std::vector<double> payload =
          pack(run, run_one(run, std::vector<double>(message.begin() + 1, message.end())));
      MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_DOUBLE, 0, kResult, MPI_COMM_WORLD);
    } catch (const std::exception& error) {
      const std::string text = error.what();
      MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, 0, kError, MPI_COMM_WORLD);
    }
  }
}

#else  // built without MPI: only the detection is available

bool built_with_mpi() { return false; }
MpiSession::MpiSession() { throw InputError("this fanflow was built without MPI"); }
MpiSession::~MpiSession() = default;
Coordinator::Coordinator(const MpiSession& session) : size_(session.size()), active_(0) {}
void Coordinator::run(const std::vector<std::uint64_t>&, const std::function<void(std::uint64_t, RunMetrics&&)>&,
                      const Assignment&, bool) {
  throw InputError("this fanflow was built without MPI");
}
void Coordinator::assign(int, std::uint64_t, const Assignment&) {}
void Coordinator::release() {}
void serve_runs(const std::function<RunMetrics(std::uint64_t, const std::vector<double>&)>&, const std::string&) {
  throw InputError("this fanflow was built without MPI");
}

#endif

}  // namespace fanflow::experiments
