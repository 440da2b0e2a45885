// Writing and inspecting sweep files with the HDF5 C library (SWMR: libver bounds "latest", chunked datasets of
// fixed size, H5Fstart_swmr_write, H5Dflush after each run).
#include "experiments/sweep_file.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/version.hpp"
#include "io/run_recorder.hpp"

namespace fanflow::experiments {
namespace {

using io::Handle;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw InputError(path.string() + ": cannot write the sweep file (" + what + ")");
}

hid_t checked(hid_t id, const std::filesystem::path& path, const std::string& what) {
  if (id < 0) fail(path, what);
  return id;
}

void checked(herr_t status, const std::filesystem::path& path, const std::string& what, int) {
  if (status < 0) fail(path, what);
}

Handle string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

/// Writes an attribute: a string, a list of strings, an integer or a number.
class Attributes {
 public:
  Attributes(hid_t object, std::filesystem::path path) : object_(object), path_(std::move(path)) {}
  void text(const std::string& name, const std::string& value) const {
    Handle type = string_type();
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attribute(checked(H5Acreate2(object_, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                             path_, "attribute " + name),
                     H5Aclose);
    const char* data = value.c_str();
    checked(H5Awrite(attribute.get(), type.get(), &data), path_, "attribute " + name, 0);
  }
  void texts(const std::string& name, const std::vector<std::string>& values) const {
    Handle type = string_type();
    const hsize_t size = values.size();
    Handle space(H5Screate_simple(1, &size, nullptr), H5Sclose);
    Handle attribute(checked(H5Acreate2(object_, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                             path_, "attribute " + name),
                     H5Aclose);
    std::vector<const char*> data;
    for (const std::string& v : values) data.push_back(v.c_str());
    checked(H5Awrite(attribute.get(), type.get(), data.data()), path_, "attribute " + name, 0);
  }
  void integer(const std::string& name, std::int64_t value) const { scalar(name, H5T_NATIVE_INT64, &value); }
  void number(const std::string& name, double value) const { scalar(name, H5T_NATIVE_DOUBLE, &value); }

 private:
  void scalar(const std::string& name, hid_t type, const void* value) const {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attribute(checked(H5Acreate2(object_, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), path_,
                             "attribute " + name),
                     H5Aclose);
    checked(H5Awrite(attribute.get(), type, value), path_, "attribute " + name, 0);
  }
  hid_t object_;
  std::filesystem::path path_;
};

Handle make_group(hid_t parent, const std::string& name, const std::filesystem::path& path) {
  return Handle(checked(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), path, "group " + name),
                H5Gclose);
}

/// A chunked dataset of fixed shape (rows, or rows x columns), filled with `fill` until written.
Handle make_dataset(hid_t parent, const std::string& name, hid_t type, std::uint64_t rows, std::uint64_t columns,
                    const void* fill, const std::filesystem::path& path) {
  const int rank = columns ? 2 : 1;
  const hsize_t dims[2] = {rows, columns};
  hsize_t chunk[2] = {columns ? 1 : std::min<hsize_t>(std::max<hsize_t>(rows, 1), 4096), std::max<hsize_t>(columns, 1)};
  Handle space(H5Screate_simple(rank, dims, nullptr), H5Sclose);
  Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_chunk(properties.get(), rank, chunk);
  H5Pset_fill_value(properties.get(), type, fill);
  H5Pset_fill_time(properties.get(), H5D_FILL_TIME_ALLOC);
  return Handle(checked(H5Dcreate2(parent, name.c_str(), type, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                        path, "dataset " + name),
                H5Dclose);
}

void describe(hid_t dataset, const std::string& unit, const std::string& description,
              const std::filesystem::path& path) {
  Attributes attributes(dataset, path);
  attributes.text("unit", unit);
  attributes.text("description", description);
}

template <typename T>
void write_column(hid_t parent, const std::string& name, hid_t type, const std::vector<T>& values,
                  const std::string& unit, const std::string& description, const std::filesystem::path& path) {
  const T fill{};
  Handle dataset = make_dataset(parent, name, type, values.size(), 0, &fill, path);
  if (!values.empty())
    checked(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path, name, 0);
  describe(dataset.get(), unit, description, path);
}

void write_text(hid_t parent, const std::string& name, const std::string& text, const std::string& description,
                const std::filesystem::path& path) {
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle dataset(
      checked(H5Dcreate2(parent, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), path,
              "dataset " + name),
      H5Dclose);
  const char* data = text.c_str();
  checked(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &data), path, name, 0);
  Attributes(dataset.get(), path).text("description", description);
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values,
                   const std::string& description, const std::filesystem::path& path) {
  Handle type = string_type();
  const hsize_t size = values.size();
  Handle space(H5Screate_simple(1, &size, nullptr), H5Sclose);
  Handle dataset(
      checked(H5Dcreate2(parent, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), path,
              "dataset " + name),
      H5Dclose);
  std::vector<const char*> data;
  for (const std::string& v : values) data.push_back(v.c_str());
  if (!values.empty())
    checked(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), path, name, 0);
  Attributes(dataset.get(), path).text("description", description);
}

void write_matrix(hid_t parent, const std::string& name, const std::vector<double>& values, std::uint64_t rows,
                  std::uint64_t columns, const std::string& description, const std::filesystem::path& path) {
  const double fill = 0;
  Handle dataset = make_dataset(parent, name, H5T_NATIVE_DOUBLE, rows, columns, &fill, path);
  if (rows && columns)
    checked(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path, name, 0);
  describe(dataset.get(), "1", description, path);
}

}  // namespace

SweepFile::SweepFile(const std::filesystem::path& path, const SweepPlan& plan)
    : path_(path), max_ticks_(plan.max_days) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const SweepDefinition& d = plan.definition;
  const std::uint64_t runs = plan.runs.size(), k = plan.factors(), points = plan.points();

  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_libver_bounds(access.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  file_ = Handle(checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), path, "create"), H5Fclose);
  hid_t root = file_.get();
  {
    Attributes attributes(root, path);
    attributes.integer("format_version", kSweepFormatVersion);
    attributes.text("format", "fanflow-sweep");
    attributes.text("fanflow_version", std::string(kVersion) + " (" + kGitRevision + ")");
    attributes.text("fingerprint", fingerprint(plan.definition_text));
    attributes.integer("runs", static_cast<std::int64_t>(runs));
    attributes.integer("points", static_cast<std::int64_t>(points));
    attributes.integer("ticks", plan.max_days);
  }

  // /design: the contract with the analysis tools (docs/output-format.md).
  {
    Handle design = make_group(root, "design", path);
    Attributes attributes(design.get(), path);
    attributes.text("kind", design_name(d.design));
    std::vector<std::string> factors, scales;
    for (const Factor& f : d.factors) {
      factors.push_back(f.path);
      scales.push_back(!f.values.empty() ? "values" : f.scale == Scale::Log ? "log" : "linear");
    }
    attributes.texts("factors", factors);
    attributes.texts("scales", scales);
    attributes.integer("replicates", static_cast<std::int64_t>(d.replicates));
    attributes.integer("seed", static_cast<std::int64_t>(d.seed));
    attributes.text("seeds", d.seeds == SeedMode::Shared ? "shared" : "independent");
    if (d.design == DesignKind::Saltelli) attributes.integer("base_samples", static_cast<std::int64_t>(d.samples));
    if (d.design == DesignKind::Morris) {
      attributes.integer("trajectories", static_cast<std::int64_t>(d.trajectories));
      attributes.integer("levels", static_cast<std::int64_t>(d.levels));
    }
    if (d.design == DesignKind::Random || d.design == DesignKind::LatinHypercube || d.design == DesignKind::Sobol)
      attributes.integer("samples", static_cast<std::int64_t>(d.samples));
    write_matrix(design.get(), "unit_points", plan.unit.coordinates, points, k,
                 "design points in [0, 1] before mapping onto the factors' ranges", path);
    write_matrix(design.get(), "points", plan.values, points, k, "the parameter values each design point used", path);
    std::vector<double> lo, hi;
    for (const Factor& f : d.factors) {
      lo.push_back(f.values.empty() ? f.lo : *std::min_element(f.values.begin(), f.values.end()));
      hi.push_back(f.values.empty() ? f.hi : *std::max_element(f.values.begin(), f.values.end()));
    }
    write_column(design.get(), "factor_lo", H5T_NATIVE_DOUBLE, lo, "1", "each factor's lowest value", path);
    write_column(design.get(), "factor_hi", H5T_NATIVE_DOUBLE, hi, "1", "each factor's highest value", path);
  }

  // /runs: the parameter table and per-run provenance.
  Handle runs_group = make_group(root, "runs", path);
  {
    std::vector<std::uint64_t> index(runs), point(runs), replicate(runs), seed(runs);
    std::vector<std::string> assignments(runs);
    for (std::uint64_t r = 0; r < runs; ++r) {
      index[r] = r;
      point[r] = plan.runs[r].point;
      replicate[r] = plan.runs[r].replicate;
      seed[r] = plan.runs[r].seed;
      std::string text;
      for (const std::string& a : plan.assignments(point[r])) text += a + " ";
      assignments[r] = text + "run.seed=" + std::to_string(seed[r]);
    }
    const hid_t u64 = H5T_NATIVE_UINT64;
    write_column(runs_group.get(), "run", u64, index, "1", "run index (= point * replicates + replicate)", path);
    write_column(runs_group.get(), "point", u64, point, "1", "design point (row of /design/points)", path);
    write_column(runs_group.get(), "replicate", u64, replicate, "1", "replicate of the design point", path);
    write_column(runs_group.get(), "seed", u64, seed, "1", "run.seed of the run", path);
    write_strings(runs_group.get(), "assignments", assignments,
                  "the run's scenario: the base scenario with these assignments (as fanflow run --set)", path);
    Handle parameters = make_group(runs_group.get(), "parameters", path);
    for (std::size_t j = 0; j < k; ++j) {
      std::vector<double> column(runs);
      for (std::uint64_t r = 0; r < runs; ++r) column[r] = plan.value(point[r], j);
      write_column(parameters.get(), d.factors[j].path, H5T_NATIVE_DOUBLE, column, "1",
                   "value of " + d.factors[j].path + " in each run", path);
    }
    const std::uint8_t not_done = 0;
    completed_ = make_dataset(runs_group.get(), "completed", H5T_NATIVE_UINT8, runs, 0, &not_done, path);
    describe(completed_.get(), "1", "1 once the run's results are in the file", path);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    wall_seconds_ = make_dataset(runs_group.get(), "wall_seconds", H5T_NATIVE_DOUBLE, runs, 0, &nan, path);
    describe(wall_seconds_.get(), "s", "wall time of the run (setup and ticks)", path);
    const std::int32_t none = 0;
    threads_ = make_dataset(runs_group.get(), "threads", H5T_NATIVE_INT32, runs, 0, &none, path);
    describe(threads_.get(), "1", "threads the run could use", path);
  }

  // /series and /summary: filled run by run.
  {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Handle series = make_group(root, "series", path);
    for (const MetricInfo& m : series_metrics()) {
      series_.push_back(make_dataset(series.get(), m.name, H5T_NATIVE_DOUBLE, runs, max_ticks_, &nan, path));
      describe(series_.back().get(), m.unit, m.description + " [run x tick]", path);
    }
    Handle summary = make_group(root, "summary", path);
    for (const MetricInfo& m : summary_metrics()) {
      summary_.push_back(make_dataset(summary.get(), m.name, H5T_NATIVE_DOUBLE, runs, 0, &nan, path));
      describe(summary_.back().get(), m.unit, m.description + " [run]", path);
    }
  }

  {
    Handle provenance = make_group(root, "provenance", path);
    write_text(provenance.get(), "base_scenario", params::to_yaml(d.base), "the base scenario, fully resolved", path);
    write_text(provenance.get(), "sweep_file", d.text, "the sweep file as written", path);
    write_text(provenance.get(), "definition", plan.definition_text,
               "canonical text of everything that decides the results; /fingerprint hashes it", path);
    Attributes attributes(provenance.get(), path);
    attributes.text("sweep_source", d.source);
    attributes.text("scenario_source", d.scenario_path.string());
    attributes.text("libraries", io::library_versions());
  }
  checked(H5Fstart_swmr_write(root), path, "start SWMR writing", 0);
}

SweepFile::~SweepFile() {
  try {
    close();
  } catch (...) {
  }
}

void SweepFile::write_row(hid_t dataset, std::uint64_t row, std::uint64_t columns, const double* values) {
  Handle file_space(H5Dget_space(dataset), H5Sclose);
  const int rank = columns ? 2 : 1;
  const hsize_t start[2] = {row, 0}, count[2] = {1, std::max<std::uint64_t>(columns, 1)};
  H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr);
  Handle memory_space(H5Screate_simple(rank, count, nullptr), H5Sclose);
  checked(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT, values), path_,
          "run " + std::to_string(row), 0);
  checked(H5Dflush(dataset), path_, "flush", 0);
}

void SweepFile::write_run(std::uint64_t run, const RunMetrics& metrics) {
  std::vector<double> row(max_ticks_);
  for (std::size_t m = 0; m < series_.size(); ++m) {
    for (std::uint32_t t = 0; t < max_ticks_; ++t)
      row[t] = t < metrics.ticks ? metrics.series_value(m, t) : std::numeric_limits<double>::quiet_NaN();
    write_row(series_[m].get(), run, max_ticks_, row.data());
  }
  for (std::size_t m = 0; m < summary_.size(); ++m) write_row(summary_[m].get(), run, 0, &metrics.summary[m]);
  write_row(wall_seconds_.get(), run, 0, &metrics.wall_seconds);
  auto write_one = [&](hid_t dataset, hid_t type, const void* value) {
    Handle file_space(H5Dget_space(dataset), H5Sclose);
    const hsize_t start = run, count = 1;
    H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr);
    Handle memory_space(H5Screate_simple(1, &count, nullptr), H5Sclose);
    checked(H5Dwrite(dataset, type, memory_space.get(), file_space.get(), H5P_DEFAULT, value), path_,
            "run " + std::to_string(run), 0);
    checked(H5Dflush(dataset), path_, "flush", 0);
  };
  const std::int32_t threads = metrics.threads;
  write_one(threads_.get(), H5T_NATIVE_INT32, &threads);
  const std::uint8_t done = 1;
  write_one(completed_.get(), H5T_NATIVE_UINT8, &done);  // last: the flag follows the data
}

void SweepFile::close() {
  if (file_.get() == H5I_INVALID_HID) return;
  series_.clear();
  summary_.clear();
  completed_.reset();
  wall_seconds_.reset();
  threads_.reset();
  const herr_t status = H5Fclose(file_.release());
  if (status < 0) fail(path_, "close");
}

SweepFileStatus read_sweep_status(const std::filesystem::path& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  SweepFileStatus status;
  if (H5Fis_hdf5(path.c_str()) <= 0) return status;
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (file.get() < 0) return status;
  Handle definition(H5Dopen2(file.get(), "/provenance/definition", H5P_DEFAULT), H5Dclose);
  Handle completed(H5Dopen2(file.get(), "/runs/completed", H5P_DEFAULT), H5Dclose);
  if (definition.get() < 0 || completed.get() < 0) return status;
  Handle type = string_type();
  char* text = nullptr;
  if (H5Dread(definition.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) < 0 || !text) return status;
  status.definition_text = text;
  H5free_memory(text);
  Handle space(H5Dget_space(completed.get()), H5Sclose);
  hsize_t rows = 0;
  H5Sget_simple_extent_dims(space.get(), &rows, nullptr);
  std::vector<std::uint8_t> flags(rows);
  if (rows && H5Dread(completed.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, flags.data()) < 0)
    return status;
  status.runs = rows;
  for (std::uint8_t f : flags) status.completed += f;
  status.is_sweep = true;
  return status;
}

}  // namespace fanflow::experiments
