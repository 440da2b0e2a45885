// The calibration loop on fanflow's side: the output folder, the sampler's process and the batches it asks for.
#include "calibration/calibrate.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "calibration/evaluation.hpp"
#include "calibration/sampler_process.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "experiments/scheduler.hpp"
#include "sim/run.hpp"

namespace fanflow::calibration {
namespace {

namespace fs = std::filesystem;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Writes `text` to `path` through PATH.partial and a rename, so that a file there is always whole.
void write_whole(const fs::path& path, const std::string& text) {
  const fs::path partial = path.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw InputError(partial.string() + ": cannot write");
  }
  std::error_code ec;
  fs::rename(partial, path, ec);
  if (ec) throw InputError(path.string() + ": cannot write: " + ec.message());
}

/// The first line where two texts differ, for the message about a folder holding another calibration.
std::string first_difference(const std::string& stored, const std::string& now) {
  std::istringstream a(stored), b(now);
  std::string line_a, line_b;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a)), more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return "";
    if (!more_a || !more_b || line_a != line_b)
      return "'" + (more_a ? line_a : std::string("(end)")) + "' there, '" + (more_b ? line_b : std::string("(end)")) +
             "' now";
  }
}

/// Creates the output folder, or checks that it holds this calibration (resume). The stored definition is the
/// canonical text: the trial budget is not part of it, so a finished calibration can be given more trials.
bool prepare_folder(const CalibrationDefinition& d, const fs::path& folder) {
  const fs::path stored = folder / "definition.txt";
  const std::string canonical = canonical_text(d);
  std::error_code ec;
  if (fs::exists(folder, ec)) {
    if (!fs::is_directory(folder, ec)) throw InputError(folder.string() + ": exists and is not a folder");
    if (fs::is_regular_file(stored, ec)) {
      const std::string before = read_text(stored);
      if (before != canonical)
        throw InputError(folder.string() + ": holds another calibration (" + first_difference(before, canonical) +
                         "); choose another output folder or remove this one");
      return true;
    }
    if (!fs::is_empty(folder, ec))
      throw InputError(folder.string() + ": exists, is not empty and holds no calibration; choose another folder");
  }
  fs::create_directories(folder, ec);
  if (ec) throw InputError(folder.string() + ": cannot create the folder: " + ec.message());
  write_whole(folder / "calibration.yaml", d.text);
  write_whole(stored, canonical);
  return false;
}

std::string numbers_json(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (k) out += ", ";
    out += json_number(values[k]);
  }
  return out + "]";
}

/// The first message to the sampler: everything it needs to know of the calibration.
std::string config_json(const CalibrationDefinition& d, const CalibrateOptions& o, bool resuming) {
  std::string out = "{\"output\": ";
  out += json_quoted(o.output.string());
  out += ", \"source\": ";
  out += json_quoted(d.source);
  out += ", \"scenario\": ";
  out += json_quoted(d.scenario_path.string());
  out += ", \"method\": ";
  out += json_quoted(method_name(d.method));
  out += ", \"seed\": " + std::to_string(d.seed);
  out += ", \"trials\": " + std::to_string(d.trials);
  out += ", \"batch\": " + std::to_string(d.batch);
  out += ", \"replicates\": " + std::to_string(d.replicates);
  out += ", \"days\": " + std::to_string(d.base.params.run.days);
  out += ", \"slice_points\": " + std::to_string(kSlicePoints);
  out += ", \"resuming\": ";
  out += resuming ? "true" : "false";
  out += ", \"quiet\": ";
  out += o.quiet ? "true" : "false";
  out += ", \"parameters\": [";
  for (std::size_t k = 0; k < d.parameters.size(); ++k) {
    const experiments::Factor& f = d.parameters[k];
    out += k ? ", {\"path\": " : "{\"path\": ";
    out += json_quoted(f.path);
    out += ", \"low\": " + json_number(f.lo) + ", \"high\": " + json_number(f.hi);
    out += f.scale == experiments::Scale::Log ? ", \"log\": true" : ", \"log\": false";
    out += f.integer ? ", \"integer\": true}" : ", \"integer\": false}";
  }
  out += "], \"targets\": [";
  for (std::size_t k = 0; k < d.targets.size(); ++k) {
    const Target& t = d.targets[k];
    out += k ? ", {\"name\": " : "{\"name\": ";
    out += json_quoted(t.statistic->name);
    out += ", \"unit\": ";
    out += json_quoted(t.statistic->unit);
    out += ", \"meaning\": ";
    out += json_quoted(t.statistic->meaning);
    out += ", \"value\": " + json_number(t.value) + ", \"tolerance\": " + json_number(t.tolerance) + "}";
  }
  out += "], \"curves\": [";
  for (std::size_t k = 0; k < d.curves.size(); ++k) {
    const Curve& c = d.curves[k];
    out += k ? ", {\"name\": " : "{\"name\": ";
    out += json_quoted(c.name);
    out += ", \"series\": ";
    out += json_quoted(c.series->name);
    out += ", \"unit\": ";
    out += json_quoted(c.series->unit);
    out += ", \"file\": ";
    out += json_quoted(c.file.string());
    out += ", \"tolerance\": " + json_number(c.tolerance);
    std::vector<double> days(c.days.begin(), c.days.end());
    out += ", \"days\": " + numbers_json(days) + ", \"values\": " + numbers_json(c.values) + "}";
  }
  return out + "]}";
}

std::string result_json(const TrialResult& r) {
  std::string out = "{\"trial\": " + std::to_string(r.number);
  if (!r.error.empty()) {
    out += ", \"error\": ";
    out += json_quoted(r.error);
    return out + "}";
  }
  out += ", \"distance\": " + json_number(r.distance);
  out += r.accepted ? ", \"accepted\": true" : ", \"accepted\": false";
  out += ", \"mean\": " + numbers_json(r.mean) + ", \"sd\": " + numbers_json(r.sd);
  out += ", \"curve_rms\": " + numbers_json(r.curve_rms) + ", \"curve_mean\": [";
  for (std::size_t c = 0; c < r.curve_mean.size(); ++c) out += (c ? ", " : "") + numbers_json(r.curve_mean[c]);
  return out + "]}";
}

/// "WORD rest" of a sampler line.
std::pair<std::string, std::string> split_command(const std::string& line) {
  const auto space = line.find(' ');
  if (space == std::string::npos) return {line, ""};
  return {line.substr(0, space), line.substr(space + 1)};
}

/// "NUMBER v1 v2 ..." with one value per parameter.
TrialRequest parse_trial(const std::string& line, std::size_t parameters) {
  std::istringstream in(line);
  TrialRequest trial;
  in >> trial.number;
  double value = 0;
  while (in >> value) trial.values.push_back(value);
  if (!in.eof() || trial.values.size() != parameters)
    throw std::logic_error("the sampler sent a malformed trial: '" + line + "'");
  return trial;
}

/// The progress line after a batch: trials done, the best distance, and the time left at the pace so far.
void print_progress(std::uint64_t done, std::uint64_t total, double best, std::uint64_t done_here, double elapsed) {
  char line[160];
  const double left = done_here && done < total ? elapsed / double(done_here) * double(total - done) : 0;
  char best_text[32] = "-";
  if (std::isfinite(best)) std::snprintf(best_text, sizeof best_text, "%.3g", best);
  std::snprintf(line, sizeof line, "calibrating: %llu/%llu trials, best distance %s, about %.0f s left\n",
                static_cast<unsigned long long>(done), static_cast<unsigned long long>(total), best_text, left);
  std::fputs(line, stderr);
}

}  // namespace

int run_calibration(const CalibrationDefinition& d, const CalibrateOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  const bool resuming = prepare_folder(d, o.output);
  RunBatch run_batch = run_here(experiments::choose_parallelism(d.base, d.batch * d.replicates, o.jobs, o.threads));
  if (o.coordinator)
    run_batch = [coordinator = o.coordinator](
                    const std::vector<std::uint64_t>& todo,
                    const std::function<experiments::RunMetrics(std::uint64_t, int)>&,
                    const experiments::Assignment& assignment,
                    const std::function<void(std::uint64_t, experiments::RunMetrics &&)>& deliver) {
      coordinator->run(todo, deliver, assignment, true);
    };
  SamplerProcess sampler(o.sampler, o.environment);
  sampler.send(config_json(d, o, resuming));
  double run_seconds = 0;
  std::uint64_t told_here = 0;
  std::string line;
  while (sampler.receive(line)) {
    const auto [command, rest] = split_command(line);
    if (command == "evaluate") {
      // "evaluate COUNT DONE TOTAL BEST", then COUNT lines "NUMBER v1 v2 ...".
      std::istringstream header(rest);
      std::size_t count = 0;
      std::uint64_t done = 0, total = 0;
      double best = 0;
      header >> count >> done >> total >> best;
      std::vector<TrialRequest> trials;
      for (std::size_t k = 0; k < count; ++k) {
        if (!sampler.receive(line)) break;
        trials.push_back(parse_trial(line, d.parameters.size()));
      }
      if (trials.size() != count) break;
      const auto batch_started = std::chrono::steady_clock::now();
      std::vector<TrialResult> results;
      try {
        results = evaluate(d, trials, run_batch);
      } catch (const Interrupted&) {
        throw Interrupted("interrupted; the trials finished so far are in " + (o.output / "trials.db").string() +
                          ", and the same command resumes from them");
      }
      run_seconds += seconds_since(batch_started);
      told_here += results.size();
      std::string reply = "{\"run_seconds\": " + json_number(run_seconds) +
                          ", \"wall_seconds\": " + json_number(seconds_since(started)) + ", \"results\": [";
      for (std::size_t k = 0; k < results.size(); ++k) reply += (k ? ", " : "") + result_json(results[k]);
      sampler.send(reply + "]}");
      if (!o.quiet) {
        double best_now = best >= 0 ? best : std::numeric_limits<double>::infinity();  // the sampler sends -1: none yet
        for (const TrialResult& r : results)
          if (r.error.empty() && r.distance < best_now) best_now = r.distance;
        print_progress(done + results.size(), total, best_now, told_here, seconds_since(started));
      }
    } else if (command == "best") {
      // "best NUMBER DISTANCE v1 v2 ...": the best trial, written as a ready-to-run scenario.
      std::istringstream in(rest);
      std::uint64_t number = 0;
      double distance = 0;
      in >> number >> distance;
      std::vector<double> values;
      double value = 0;
      while (in >> value) values.push_back(value);
      if (values.size() != d.parameters.size()) throw std::logic_error("the sampler sent a malformed best trial");
      std::string header = "# The best trial (" + std::to_string(number) + ", distance " + json_number(distance) +
                           ") of the calibration " + d.source + "; run.seed is its replicate 0's.\n";
      write_whole(o.output / "best.yaml", header + params::to_yaml(trial_scenario(d, values, 0)));
      sampler.send("{\"written\": " + json_quoted((o.output / "best.yaml").string()) + "}");
    } else if (command == "print") {
      std::fputs((rest + "\n").c_str(), stdout);
    } else {
      throw std::logic_error("the sampler sent '" + line + "'");
    }
  }
  const int status = sampler.finish();
  if (status != 0 && sim::interrupt_requested.load()) throw Interrupted("interrupted");
  if (status == 0 && told_here > 0) {
    const double wall = seconds_since(started);
    std::printf("runs took %.2f s of %.2f s (calibration overhead %.1f%%: sampler, trial store, process start)\n",
                run_seconds, wall, wall > 0 ? 100 * (1 - run_seconds / wall) : 0.0);
  }
  std::fflush(stdout);
  return status;
}

}  // namespace fanflow::calibration
