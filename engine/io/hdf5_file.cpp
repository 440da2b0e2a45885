// The HDF5 layer: writes one file under "<path>.partial" (or in place, for SWMR), renames it into place on
// commit(), reads back what inspecting a file needs, and turns every HDF5 failure into a one-line exception
// (InputError for disk and permission problems).
#include "io/hdf5_file.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "core/error.hpp"

namespace fanflow::io {

namespace {

/// Columns longer than this are stored chunked and compressed; shorter ones contiguous.
constexpr hsize_t kChunkThreshold = 4096;
/// Largest chunk, in elements, of a chunked column.
constexpr hsize_t kMaxColumnChunk = 65536;
/// Chunk length of a 1-D growing dataset, in rows.
constexpr hsize_t kGrowing1dChunkRows = 1024;
/// Chunk shape of a 2-D growing dataset: rows x (at most) columns.
constexpr hsize_t kGrowing2dChunkRows = 16;
constexpr hsize_t kGrowing2dChunkColumns = 16384;
/// gzip level of every compressed dataset.
constexpr unsigned kGzipLevel = 4;
/// Largest chunk, in values, of a 1-D fixed-size dataset (a 2-D one has one chunk per row).
constexpr hsize_t kFixed1dChunkRows = 4096;

/// The HDF5 memory (native) and file (little-endian standard) types of each supported element type.
template <typename T>
struct TypeOf;
template <>
struct TypeOf<std::uint8_t> {
  static hid_t memory() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
};
template <>
struct TypeOf<std::uint16_t> {
  static hid_t memory() { return H5T_NATIVE_UINT16; }
  static hid_t file() { return H5T_STD_U16LE; }
};
template <>
struct TypeOf<std::uint32_t> {
  static hid_t memory() { return H5T_NATIVE_UINT32; }
  static hid_t file() { return H5T_STD_U32LE; }
};
template <>
struct TypeOf<std::uint64_t> {
  static hid_t memory() { return H5T_NATIVE_UINT64; }
  static hid_t file() { return H5T_STD_U64LE; }
};
template <>
struct TypeOf<std::int32_t> {
  static hid_t memory() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
};
template <>
struct TypeOf<std::int64_t> {
  static hid_t memory() { return H5T_NATIVE_INT64; }
  static hid_t file() { return H5T_STD_I64LE; }
};
template <>
struct TypeOf<float> {
  static hid_t memory() { return H5T_NATIVE_FLOAT; }
  static hid_t file() { return H5T_IEEE_F32LE; }
};
template <>
struct TypeOf<double> {
  static hid_t memory() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
};

/// Turns off HDF5's printing of its error stack on stderr. The setting is per thread in a thread-safe HDF5
/// build, so it is applied once in every thread that uses this layer.
void silence_hdf5() {
  thread_local bool silenced = false;
  if (!silenced) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    silenced = true;
  }
}

/// What the current HDF5 error stack says: whether an operating-system I/O call failed (and its errno, when
/// HDF5 recorded one), and the description of the innermost error.
struct StackSummary {
  bool io_failure = false;
  int error_number = 0;
  std::string innermost;
};

herr_t summarize_entry(unsigned position, const H5E_error2_t* entry, void* data) {
  auto& summary = *static_cast<StackSummary*>(data);
  const std::string description = entry->desc != nullptr ? entry->desc : "";
  if (position == 0) summary.innermost = description;
  // Low-level I/O errors come from the file driver; the POSIX driver also quotes the operating system's
  // "errno = N" in the description of failed opens, reads, writes and truncations.
  if (entry->maj_num == H5E_IO) summary.io_failure = true;
  if (summary.error_number == 0) {
    const auto at = description.find("errno = ");
    if (at != std::string::npos) {
      summary.error_number = static_cast<int>(std::strtol(description.c_str() + at + 8, nullptr, 10));
      if (summary.error_number != 0) summary.io_failure = true;
    }
  }
  return 0;
}

StackSummary summarize_error_stack() {
  StackSummary summary;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, summarize_entry, &summary);
  H5Eclear2(H5E_DEFAULT);
  return summary;
}

/// The start of every failure message: "<file>: <action> <object> failed: ".
std::string failure_prefix(const std::filesystem::path& file, const char* action, const std::string& object) {
  std::string message = file.string();
  message += ": ";
  message += action;
  if (!object.empty()) {
    message += ' ';
    message += object;
  }
  message += " failed: ";
  return message;
}

/// Throws for a failed HDF5 call: "<file>: <action> <object> failed: <reason>". An operating-system I/O
/// failure (disk full, permissions, a vanished folder) is the user's environment, so it is an InputError;
/// anything else is an internal error (std::runtime_error) quoting HDF5's own description.
[[noreturn]] void fail(const std::filesystem::path& file, const char* action, const std::string& object) {
  const StackSummary summary = summarize_error_stack();
  std::string message = failure_prefix(file, action, object);
  if (summary.io_failure) {
    message += summary.error_number != 0 ? std::strerror(summary.error_number) : "input/output error";
    throw InputError(message);
  }
  message += "HDF5 error";
  if (!summary.innermost.empty()) {
    message += " (";
    message += summary.innermost;
    message += ')';
  }
  throw std::runtime_error(message);
}

/// Throws std::runtime_error "<file>: <action> <object> failed: <reason>" for a file that HDF5 reads but that
/// does not hold what was asked for (another shape or type).
[[noreturn]] void fail_because(const std::filesystem::path& file, const char* action, const std::string& object,
                               const char* reason) {
  throw std::runtime_error(failure_prefix(file, action, object) + reason);
}

/// Returns `id` if the call that made it succeeded, otherwise throws through fail().
hid_t check_id(hid_t id, const std::filesystem::path& file, const char* action, const std::string& object) {
  if (id < 0) fail(file, action, object);
  return id;
}

/// Throws through fail() if an HDF5 call returned a negative status.
void check_status(herr_t status, const std::filesystem::path& file, const char* action, const std::string& object) {
  if (status < 0) fail(file, action, object);
}

/// Closes `handle` now, reporting a failure (e.g. a dataset that cannot flush its last chunks to a full
/// disk) instead of ignoring it as Handle's destructor must. An object that failed to close stays open in
/// the library and is closed with the file (H5F_CLOSE_STRONG).
void close_checked(Handle& handle, herr_t (*close)(hid_t), const std::filesystem::path& file, const char* action,
                   const std::string& object) {
  check_status(close(handle.release()), file, action, object);
}

/// Points the descriptor of a file that is being discarded at an anonymous in-memory file, so that the
/// writes HDF5 makes while closing it cannot fail on a full disk. This matters because HDF5 1.10 frees a file's
/// internals even when H5Fclose fails but keeps its identifier, and then crashes closing it again at exit.
/// Best effort: does nothing if the file does not use the POSIX (sec2) driver or no memory file can be made.
void redirect_to_memory(hid_t file) {
  Handle access(H5Fget_access_plist(file), H5Pclose);
  if (access.get() < 0 || H5Pget_driver(access.get()) != H5FD_SEC2) return;
  void* vfd_handle = nullptr;
  if (H5Fget_vfd_handle(file, H5P_DEFAULT, &vfd_handle) < 0 || vfd_handle == nullptr) return;
  const int descriptor = *static_cast<const int*>(vfd_handle);
  const int scratch = ::memfd_create("fanflow-discarded-output", MFD_CLOEXEC);
  if (scratch < 0) return;
  ::dup2(scratch, descriptor);
  ::close(scratch);
}

/// Records in `*failed` that the scope was left by an exception (a failed write), for ~OutputFile.
class FailureMark {
 public:
  explicit FailureMark(bool* failed) : failed_(failed), exceptions_(std::uncaught_exceptions()) {}
  FailureMark(const FailureMark&) = delete;
  FailureMark& operator=(const FailureMark&) = delete;
  ~FailureMark() {
    if (failed_ != nullptr && std::uncaught_exceptions() > exceptions_) *failed_ = true;
  }

 private:
  bool* failed_;
  int exceptions_;
};

/// The components of an HDF5 path ("/a//b/c" -> a, b, c).
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  for (const char c : path) {
    if (c == '/') {
      if (!part.empty()) parts.push_back(std::move(part));
      part.clear();
    } else {
      part += c;
    }
  }
  if (!part.empty()) parts.push_back(std::move(part));
  return parts;
}

/// The absolute form of the first `count` components of `parts` ("/" when count is 0).
std::string join_path(const std::vector<std::string>& parts, std::size_t count) {
  std::string joined;
  for (std::size_t i = 0; i < count; ++i) {
    joined += '/';
    joined += parts[i];
  }
  return joined.empty() ? std::string("/") : joined;
}

/// The last component of a dataset path; throws std::invalid_argument if there is none.
std::string leaf_name(const std::string& dataset_path) {
  auto parts = split_path(dataset_path);
  if (parts.empty()) {
    std::string message = "HDF5 output: not a dataset path: '";
    message += dataset_path;
    message += '\'';
    throw std::invalid_argument(message);
  }
  return std::move(parts.back());
}

/// A variable-length, NUL-terminated UTF-8 string type (h5py reads attributes as str, datasets via .asstr()).
Handle utf8_string_type(const std::filesystem::path& file, const std::string& object) {
  Handle type(check_id(H5Tcopy(H5T_C_S1), file, "making the string type for", object), H5Tclose);
  check_status(H5Tset_size(type.get(), H5T_VARIABLE), file, "making the string type for", object);
  check_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), file, "making the string type for", object);
  check_status(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), file, "making the string type for", object);
  return type;
}

/// A creation property list of `plist_class` (groups or datasets) that does not record creation and
/// modification times, so that the same run writes the same bytes.
Handle creation_plist(hid_t plist_class, const std::filesystem::path& file, const std::string& object) {
  Handle plist(check_id(H5Pcreate(plist_class), file, "making the creation properties of", object), H5Pclose);
  check_status(H5Pset_obj_track_times(plist.get(), false), file, "making the creation properties of", object);
  return plist;
}

/// Adds gzip compression with the shuffle filter (which groups bytes of equal significance first, so that
/// counts and floats compress far better) to a chunked dataset creation property list.
void add_compression(hid_t dcpl, const std::filesystem::path& file, const std::string& object) {
  check_status(H5Pset_shuffle(dcpl), file, "setting up compression of", object);
  check_status(H5Pset_deflate(dcpl, kGzipLevel), file, "setting up compression of", object);
}

/// Writes (or overwrites) the attribute `name` of `object`: one value (`scalar`) or a 1-D array of `count` values
/// of memory type `memory_type`, stored as `file_type`.
void write_attribute_values(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type,
                            std::size_t count, bool scalar, const void* values, const std::filesystem::path& file,
                            const std::string& object_path) {
  std::string what = "attribute '";
  what += name;
  what += "' of ";
  what += object_path;
  const htri_t exists = H5Aexists(object, name.c_str());
  check_status(exists, file, "looking up", what);
  if (exists > 0) check_status(H5Adelete(object, name.c_str()), file, "replacing", what);
  const hsize_t length = count;
  Handle space(check_id(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &length, nullptr), file, "writing", what),
               H5Sclose);
  Handle attribute(check_id(H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), file,
                            "creating", what),
                   H5Aclose);
  if (scalar || count > 0) check_status(H5Awrite(attribute.get(), memory_type, values), file, "writing", what);
  close_checked(attribute, H5Aclose, file, "writing", what);
}

/// Writes (or overwrites) a scalar attribute of memory type `memory_type`, stored as `file_type`.
void write_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type, const void* value,
                     const std::filesystem::path& file, const std::string& object_path) {
  write_attribute_values(object, name, file_type, memory_type, 1, true, value, file, object_path);
}

/// Writes (or overwrites) a variable-length UTF-8 string attribute.
void write_string_attribute(hid_t object, const std::string& name, std::string_view value,
                            const std::filesystem::path& file, const std::string& object_path) {
  const Handle type = utf8_string_type(file, object_path);
  const std::string text(value);
  const char* pointer = text.c_str();
  write_attribute(object, name, type.get(), type.get(), &pointer, file, object_path);
}

/// Writes (or overwrites) an attribute holding a 1-D array of variable-length UTF-8 strings.
void write_strings_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values,
                             const std::filesystem::path& file, const std::string& object_path) {
  const Handle type = utf8_string_type(file, object_path);
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& value : values) pointers.push_back(value.c_str());
  write_attribute_values(object, name, type.get(), type.get(), values.size(), false, pointers.data(), file,
                         object_path);
}

/// Writes the "unit" and "description" attributes every dataset carries.
void write_unit_and_description(hid_t dataset, std::string_view unit, std::string_view description,
                                const std::filesystem::path& file, const std::string& object_path) {
  write_string_attribute(dataset, "unit", unit, file, object_path);
  write_string_attribute(dataset, "description", description, file, object_path);
}

/// Writes the attributes of a text dataset: the description, and an empty unit unless `unit` omits it.
void write_text_attributes(hid_t dataset, std::string_view description, TextUnit unit,
                           const std::filesystem::path& file, const std::string& object_path) {
  if (unit == TextUnit::Empty) {
    write_unit_and_description(dataset, "", description, file, object_path);  // text: no unit
  } else {
    write_string_attribute(dataset, "description", description, file, object_path);
  }
}

/// The smallest prime >= n (chunk-cache hash tables work best with a prime number of slots).
std::size_t next_prime(std::size_t n) {
  auto is_prime = [](std::size_t value) {
    if (value < 2) return false;
    for (std::size_t divisor = 2; divisor * divisor <= value; ++divisor) {
      if (value % divisor == 0) return false;
    }
    return true;
  };
  while (!is_prime(n)) ++n;
  return n;
}

}  // namespace

// --- Handle -----------------------------------------------------------------------------------------------

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    close_ = std::exchange(other.close_, nullptr);
  }
  return *this;
}

hid_t Handle::release() noexcept {
  close_ = nullptr;
  return std::exchange(id_, H5I_INVALID_HID);
}

void Handle::reset() {
  // The identifier may already be closed: OutputFile::commit() closes the file with H5F_CLOSE_STRONG, which
  // also closes the datasets GrowingDataset objects still hold.
  if (id_ >= 0 && close_ != nullptr && H5Iis_valid(id_) > 0) close_(id_);
  id_ = H5I_INVALID_HID;
  close_ = nullptr;
}

// --- row writes, shared by GrowingDataset and FixedDataset ------------------------------------------------

namespace {

/// Throws unless a row of `size` values of memory type `given` fits a dataset (still open) of `columns`
/// columns created with memory type `expected`. `verb` is "appending" or "writing", `kind` names the dataset
/// kind for a dataset without a path.
void check_row(hid_t dataset, hid_t given, hid_t expected, std::size_t size, std::uint64_t columns,
               const std::filesystem::path& file, const std::string& path, const char* verb, const char* kind) {
  if (dataset < 0 || H5Iis_valid(dataset) <= 0) {
    std::string message = file.string();
    message += ": ";
    message += verb;
    message += " to ";
    message += path.empty() ? std::string(kind) : path;
    message += " after its output file was committed or closed";
    throw std::logic_error(message);
  }
  if (H5Tequal(expected, given) <= 0) {
    std::string message = path;
    message += ": ";
    message += verb;
    message += " values of a different type than the dataset was created with";
    throw std::invalid_argument(message);
  }
  if (size != columns) {
    std::string message = path;
    message += ": ";
    message += verb;
    message += " a row of ";
    message += std::to_string(size);
    message += " values to a dataset of ";
    message += std::to_string(columns);
    message += " columns";
    throw std::invalid_argument(message);
  }
}

/// Writes `columns` values at row `row` of a [rows] or [rows x columns] dataset; failures name `action`.
void write_row_at(hid_t dataset, hid_t memory_type, std::uint64_t row, std::uint64_t columns, const void* data,
                  const std::filesystem::path& file, const std::string& path, const char* action) {
  Handle file_space(check_id(H5Dget_space(dataset), file, action, path), H5Sclose);
  const hsize_t start[2] = {row, 0};
  const hsize_t count[2] = {1, columns};  // a 1-D dataset uses the first entry only
  check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), file, action,
               path);
  const hsize_t row_length = columns;
  Handle memory_space(check_id(H5Screate_simple(1, &row_length, nullptr), file, action, path), H5Sclose);
  check_status(H5Dwrite(dataset, memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, data), file, action,
               path);
}

}  // namespace

// --- GrowingDataset ---------------------------------------------------------------------------------------

template <typename T>
void GrowingDataset::append(std::span<const T> row) {
  silence_hdf5();
  const hid_t dataset = dataset_.get();
  check_row(dataset, TypeOf<T>::memory(), memory_type_, row.size(), columns_, file_, path_, "appending",
            "a growing dataset");
  const hsize_t extent[2] = {rows_ + 1, columns_};
  check_status(H5Dset_extent(dataset, extent), file_, "extending", path_);
  write_row_at(dataset, memory_type_, rows_, columns_, row.data(), file_, path_, "appending to");
  ++rows_;  // only now: a failed write is retried in the same row by the next append
}

// --- FixedDataset -----------------------------------------------------------------------------------------

template <typename T>
void FixedDataset::write_row(std::uint64_t row, std::span<const T> values) {
  silence_hdf5();
  const FailureMark mark(file_failed_.get());
  const hid_t dataset = dataset_.get();
  check_row(dataset, TypeOf<T>::memory(), memory_type_, values.size(), columns_, file_, path_, "writing",
            "a fixed-size dataset");
  if (row >= rows_) {
    std::string message = path_;
    message += ": writing row ";
    message += std::to_string(row);
    message += " of a dataset of ";
    message += std::to_string(rows_);
    message += " rows";
    throw std::invalid_argument(message);
  }
  std::string action = "writing row ";
  action += std::to_string(row);
  action += " of";
  write_row_at(dataset, memory_type_, row, columns_, values.data(), file_, path_, action.c_str());
  check_status(H5Dflush(dataset), file_, "flushing", path_);
}

// --- OutputFile -------------------------------------------------------------------------------------------

OutputFile::OutputFile(std::filesystem::path final_path, WriteMode mode)
    : final_path_(std::move(final_path)), mode_(mode) {
  silence_hdf5();
  partial_path_ = final_path_;
  if (mode_ == WriteMode::Partial) partial_path_ += ".partial";

  const std::filesystem::path folder = final_path_.parent_path();
  if (!folder.empty()) {
    std::error_code error;
    const bool is_folder = std::filesystem::is_directory(folder, error);
    if (!is_folder) {
      std::string reason;
      if (std::filesystem::exists(folder, error)) {
        reason = folder.string();
        reason += " exists and is not a folder";
      } else if (!std::filesystem::create_directories(folder, error) && error) {
        reason = error.message();
      } else if (!std::filesystem::is_directory(folder, error)) {
        reason = "it was not created";
      }
      if (!reason.empty()) {
        std::string message = final_path_.string();
        message += ": cannot create the output folder: ";
        message += reason;
        throw InputError(message);
      }
    }
  }

  // H5F_CLOSE_STRONG: closing the file also closes every object still open in it (the datasets of
  // GrowingDataset objects that outlive commit()), instead of keeping the file open behind our back.
  // In place: SWMR writing needs the latest file format (version-2 object headers and chunk indexes).
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (access.get() < 0 || H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG) < 0 ||
      (mode_ == WriteMode::InPlace && H5Pset_libver_bounds(access.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST) < 0)) {
    fail(final_path_, "setting up", "the output file");
  }
  const hid_t file = H5Fcreate(partial_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get());
  if (file < 0) {
    const StackSummary summary = summarize_error_stack();
    // HDF5 may have created an empty file before failing (e.g. on a full disk); never remove a folder, nor a
    // file in place (it may be the user's).
    std::error_code ignored;
    const auto status = std::filesystem::symlink_status(partial_path_, ignored);
    if (mode_ == WriteMode::Partial &&
        (std::filesystem::is_regular_file(status) || std::filesystem::is_symlink(status))) {
      std::filesystem::remove(partial_path_, ignored);
    }
    const int error_number = summary.error_number;
    std::string message = final_path_.string();
    message += ": cannot write the output file";
    if (error_number == 0 || error_number == EACCES || error_number == EPERM || error_number == EROFS) {
      message += " (folder not writable?)";
    }
    if (error_number != 0) {
      message += ": ";
      message += std::strerror(error_number);
    }
    throw InputError(message);
  }
  file_ = Handle(file, H5Fclose);
}

OutputFile::~OutputFile() {
  if (committed_) return;
  try {
    silence_hdf5();
    if (mode_ == WriteMode::InPlace) {
      // Keep what was written: close the file as it is. After a failed write HDF5 1.10 cannot flush the file
      // any more and would fail to close it (see redirect_to_memory), so what was not flushed is discarded.
      if (*failed_ && file_.get() >= 0 && H5Iis_valid(file_.get()) > 0) redirect_to_memory(file_.get());
      H5Eclear2(H5E_DEFAULT);
      groups_.clear();
      file_.reset();
      return;
    }
    if (file_.get() >= 0 && H5Iis_valid(file_.get()) > 0) redirect_to_memory(file_.get());
    H5Eclear2(H5E_DEFAULT);
    groups_.clear();
    file_.reset();
    std::error_code ignored;
    std::filesystem::remove(partial_path_, ignored);
  } catch (...) {  // a destructor must not throw; there is nothing more to clean up
  }
}

void OutputFile::require_writable(const std::string& object) const {
  if (committed_ || file_.get() < 0) {
    std::string message = final_path_.string();
    message += ": writing ";
    message += object;
    message += " after the output file was committed or closed";
    throw std::logic_error(message);
  }
}

hid_t OutputFile::open_group(const std::string& group_path) {
  const auto parts = split_path(group_path);
  const std::string normalized = join_path(parts, parts.size());
  if (const auto found = groups_.find(normalized); found != groups_.end()) return found->second.get();

  const hid_t file = file_.get();
  // Create the missing groups one level at a time (checking each level, as H5Lexists requires).
  for (std::size_t depth = 1; depth <= parts.size(); ++depth) {
    const std::string prefix = join_path(parts, depth);
    const htri_t exists = H5Lexists(file, prefix.c_str(), H5P_DEFAULT);
    check_status(exists, final_path_, "looking up group", prefix);
    if (exists == 0) {
      const Handle gcpl = creation_plist(H5P_GROUP_CREATE, final_path_, prefix);
      Handle group(check_id(H5Gcreate2(file, prefix.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), final_path_,
                            "creating group", prefix),
                   H5Gclose);
    }
  }
  Handle group(check_id(H5Gopen2(file, normalized.c_str(), H5P_DEFAULT), final_path_, "opening group", normalized),
               H5Gclose);
  const hid_t id = group.get();
  groups_.emplace(normalized, std::move(group));
  return id;
}

hid_t OutputFile::group_for(const std::string& dataset_path) {
  const auto parts = split_path(dataset_path);
  return open_group(join_path(parts, parts.empty() ? 0 : parts.size() - 1));
}

template <typename T>
void OutputFile::write_column(const std::string& path, std::span<const T> values, std::string_view unit,
                              std::string_view description) {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable(path);
  const std::string leaf = leaf_name(path);
  const hid_t parent = group_for(path);

  const hsize_t length = values.size();
  Handle space(check_id(H5Screate_simple(1, &length, nullptr), final_path_, "creating dataset", path), H5Sclose);
  const Handle dcpl = creation_plist(H5P_DATASET_CREATE, final_path_, path);
  if (length > kChunkThreshold) {
    const hsize_t chunk = std::min(length, kMaxColumnChunk);
    check_status(H5Pset_chunk(dcpl.get(), 1, &chunk), final_path_, "setting up chunks of", path);
    add_compression(dcpl.get(), final_path_, path);
  }
  Handle dataset(
      check_id(H5Dcreate2(parent, leaf.c_str(), TypeOf<T>::file(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
               final_path_, "creating dataset", path),
      H5Dclose);
  if (length > 0) {
    check_status(H5Dwrite(dataset.get(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                 final_path_, "writing dataset", path);
  }
  write_unit_and_description(dataset.get(), unit, description, final_path_, path);
  close_checked(dataset, H5Dclose, final_path_, "writing dataset", path);
}

void OutputFile::write_strings(const std::string& path, const std::vector<std::string>& values,
                               std::string_view description, TextUnit unit) {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable(path);
  const std::string leaf = leaf_name(path);
  const hid_t parent = group_for(path);

  const Handle type = utf8_string_type(final_path_, path);
  const hsize_t length = values.size();
  Handle space(check_id(H5Screate_simple(1, &length, nullptr), final_path_, "creating dataset", path), H5Sclose);
  const Handle dcpl = creation_plist(H5P_DATASET_CREATE, final_path_, path);
  Handle dataset(
      check_id(H5Dcreate2(parent, leaf.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
               final_path_, "creating dataset", path),
      H5Dclose);
  if (length > 0) {
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const auto& value : values) pointers.push_back(value.c_str());
    check_status(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), final_path_,
                 "writing dataset", path);
  }
  write_text_attributes(dataset.get(), description, unit, final_path_, path);
  close_checked(dataset, H5Dclose, final_path_, "writing dataset", path);
}

void OutputFile::write_text(const std::string& path, std::string_view text, std::string_view description,
                            TextUnit unit) {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable(path);
  const std::string leaf = leaf_name(path);
  const hid_t parent = group_for(path);

  const Handle type = utf8_string_type(final_path_, path);
  Handle space(check_id(H5Screate(H5S_SCALAR), final_path_, "creating dataset", path), H5Sclose);
  const Handle dcpl = creation_plist(H5P_DATASET_CREATE, final_path_, path);
  Handle dataset(
      check_id(H5Dcreate2(parent, leaf.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
               final_path_, "creating dataset", path),
      H5Dclose);
  const std::string copy(text);
  const char* pointer = copy.c_str();
  check_status(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer), final_path_,
               "writing dataset", path);
  write_text_attributes(dataset.get(), description, unit, final_path_, path);
  close_checked(dataset, H5Dclose, final_path_, "writing dataset", path);
}

template <typename T>
GrowingDataset OutputFile::create_growing(const std::string& path, std::uint64_t columns,
                                          const std::vector<std::string>& column_names, std::string_view unit,
                                          std::string_view description) {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable(path);
  if (!column_names.empty() && columns != column_names.size()) {
    std::string message = path;
    message += ": ";
    message += std::to_string(columns);
    message += " columns but ";
    message += std::to_string(column_names.size());
    message += " column names";
    throw std::invalid_argument(message);
  }
  if (columns == 0) {
    std::string message = path;
    message += ": a growing dataset needs at least one column";
    throw std::invalid_argument(message);
  }
  const std::string leaf = leaf_name(path);
  const hid_t parent = group_for(path);

  const bool two_dimensional = !column_names.empty() || columns > 1;
  const int rank = two_dimensional ? 2 : 1;
  const hsize_t dims[2] = {0, columns};
  const hsize_t max_dims[2] = {H5S_UNLIMITED, columns};
  hsize_t chunk[2] = {kGrowing1dChunkRows, 1};
  if (two_dimensional) {
    chunk[0] = kGrowing2dChunkRows;
    chunk[1] = std::min<hsize_t>(columns, kGrowing2dChunkColumns);
  }
  Handle space(check_id(H5Screate_simple(rank, dims, max_dims), final_path_, "creating dataset", path), H5Sclose);
  const Handle dcpl = creation_plist(H5P_DATASET_CREATE, final_path_, path);
  check_status(H5Pset_chunk(dcpl.get(), rank, chunk), final_path_, "setting up chunks of", path);
  add_compression(dcpl.get(), final_path_, path);

  // Each append touches one row of chunks; the chunk cache must hold all of them, or every append would
  // read, decompress, update, compress and write back each chunk of the row.
  const std::size_t chunks_per_row = two_dimensional ? (columns + chunk[1] - 1) / chunk[1] : 1;
  const std::size_t chunk_bytes = chunk[0] * chunk[1] * sizeof(T);
  const std::size_t cache_bytes = std::max<std::size_t>(chunks_per_row * chunk_bytes + chunk_bytes, 1 << 20);
  const std::size_t cache_slots = next_prime(std::max<std::size_t>(521, chunks_per_row * 100));
  Handle dapl(check_id(H5Pcreate(H5P_DATASET_ACCESS), final_path_, "setting up the chunk cache of", path), H5Pclose);
  check_status(H5Pset_chunk_cache(dapl.get(), cache_slots, cache_bytes, H5D_CHUNK_CACHE_W0_DEFAULT), final_path_,
               "setting up the chunk cache of", path);

  Handle dataset(
      check_id(H5Dcreate2(parent, leaf.c_str(), TypeOf<T>::file(), space.get(), H5P_DEFAULT, dcpl.get(), dapl.get()),
               final_path_, "creating dataset", path),
      H5Dclose);
  write_unit_and_description(dataset.get(), unit, description, final_path_, path);
  if (!column_names.empty()) write_strings_attribute(dataset.get(), "columns", column_names, final_path_, path);

  GrowingDataset growing;
  growing.dataset_ = std::move(dataset);
  growing.memory_type_ = TypeOf<T>::memory();
  growing.columns_ = columns;
  growing.two_dimensional_ = two_dimensional;
  growing.rows_ = 0;
  growing.file_ = final_path_;
  growing.path_ = path;
  return growing;
}

template <typename T>
FixedDataset OutputFile::create_fixed(const std::string& path, const std::vector<std::uint64_t>& shape, T fill,
                                      std::string_view unit, std::string_view description) {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable(path);
  if (shape.size() != 1 && shape.size() != 2) {
    std::string message = path;
    message += ": a fixed-size dataset has the shape {rows} or {rows, columns}, not ";
    message += std::to_string(shape.size());
    message += " dimensions";
    throw std::invalid_argument(message);
  }
  const std::string leaf = leaf_name(path);
  const hid_t parent = group_for(path);

  const bool two_dimensional = shape.size() == 2;
  const int rank = two_dimensional ? 2 : 1;
  const hsize_t dims[2] = {shape[0], two_dimensional ? shape[1] : 1};
  // One chunk per row of a 2-D dataset, so that writing a row touches one chunk.
  const hsize_t chunk[2] = {two_dimensional ? 1 : std::min(dims[0], kFixed1dChunkRows), dims[1]};
  Handle space(check_id(H5Screate_simple(rank, dims, nullptr), final_path_, "creating dataset", path), H5Sclose);
  const Handle dcpl = creation_plist(H5P_DATASET_CREATE, final_path_, path);
  if (dims[0] > 0 && dims[1] > 0) {  // an empty dataset stays contiguous: chunks cannot exceed its size
    check_status(H5Pset_chunk(dcpl.get(), rank, chunk), final_path_, "setting up chunks of", path);
  }
  check_status(H5Pset_fill_value(dcpl.get(), TypeOf<T>::memory(), &fill), final_path_, "setting the fill value of",
               path);
  check_status(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_ALLOC), final_path_, "setting the fill value of", path);
  Handle dataset(
      check_id(H5Dcreate2(parent, leaf.c_str(), TypeOf<T>::file(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
               final_path_, "creating dataset", path),
      H5Dclose);
  write_unit_and_description(dataset.get(), unit, description, final_path_, path);

  FixedDataset fixed;
  fixed.dataset_ = std::move(dataset);
  fixed.memory_type_ = TypeOf<T>::memory();
  fixed.rows_ = dims[0];
  fixed.columns_ = dims[1];
  fixed.file_ = final_path_;
  fixed.path_ = path;
  fixed.file_failed_ = failed_;
  return fixed;
}

hid_t OutputFile::open_object(const std::string& path) {
  const auto parts = split_path(path);
  const std::string normalized = join_path(parts, parts.size());
  bool exists = true;
  for (std::size_t depth = 1; depth <= parts.size() && exists; ++depth) {
    const std::string prefix = join_path(parts, depth);
    const htri_t found = H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT);
    check_status(found, final_path_, "looking up", prefix);
    exists = found > 0;
  }
  if (!exists) open_group(normalized);
  return check_id(H5Oopen(file_.get(), normalized.c_str(), H5P_DEFAULT), final_path_, "opening", normalized);
}

void OutputFile::set_attribute(const std::string& path, const std::string& name, std::string_view value) {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable(path);
  Handle object(open_object(path), H5Oclose);
  write_string_attribute(object.get(), name, value, final_path_, path);
}

void OutputFile::set_attribute(const std::string& path, const std::string& name, std::int64_t value) {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable(path);
  Handle object(open_object(path), H5Oclose);
  write_attribute(object.get(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value, final_path_, path);
}

void OutputFile::set_attribute(const std::string& path, const std::string& name, double value) {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable(path);
  Handle object(open_object(path), H5Oclose);
  write_attribute(object.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, final_path_, path);
}

void OutputFile::set_attribute(const std::string& path, const std::string& name,
                               const std::vector<std::string>& values) {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable(path);
  Handle object(open_object(path), H5Oclose);
  write_strings_attribute(object.get(), name, values, final_path_, path);
}

void OutputFile::flush() {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable("the output file");
  check_status(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), final_path_, "flushing", "the output file");
}

void OutputFile::start_swmr() {
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable("the output file");
  if (mode_ != WriteMode::InPlace) {
    std::string message = final_path_.string();
    message += ": SWMR writing needs a file written in place (WriteMode::InPlace)";
    throw std::logic_error(message);
  }
  groups_.clear();  // only datasets stay open: they are what SWMR readers follow
  check_status(H5Fstart_swmr_write(file_.get()), final_path_, "starting SWMR writing of", "the output file");
}

void OutputFile::commit() {
  if (committed_) return;
  silence_hdf5();
  const FailureMark mark(failed_.get());
  require_writable("the output file");
  if (mode_ == WriteMode::InPlace && *failed_) {  // flushing again would leave the file unclosable
    fail_because(final_path_, "closing", "the output file", "an earlier write failed");
  }
  groups_.clear();
  // Write everything first: if that fails (disk full) the file is still open and the destructor discards it
  // cleanly. Closing then has next to nothing left to write. If closing or renaming fails, committed_ stays
  // false and the destructor removes the partial file.
  check_status(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), final_path_, "writing", "the output file");
  close_checked(file_, H5Fclose, final_path_, "closing", "the output file");
  if (mode_ == WriteMode::Partial) {
    std::error_code error;
    std::filesystem::rename(partial_path_, final_path_, error);
    if (error) {
      std::string message = final_path_.string();
      message += ": cannot move the finished output file into place: ";
      message += error.message();
      throw InputError(message);
    }
  }
  committed_ = true;
}

// --- InputFile --------------------------------------------------------------------------------------------

InputFile::InputFile(std::filesystem::path path) : path_(std::move(path)) {
  silence_hdf5();
  file_ = Handle(check_id(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path_, "opening", "the file"), H5Fclose);
}

bool InputFile::contains(const std::string& path) const {
  silence_hdf5();
  const auto parts = split_path(path);
  // Check each level, as H5Lexists requires.
  for (std::size_t depth = 1; depth <= parts.size(); ++depth) {
    const std::string prefix = join_path(parts, depth);
    const htri_t found = H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT);
    check_status(found, path_, "looking up", prefix);
    if (found == 0) return false;
  }
  return true;
}

std::string InputFile::read_text(const std::string& path) const {
  silence_hdf5();
  Handle dataset(check_id(H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT), path_, "opening dataset", path), H5Dclose);
  Handle space(check_id(H5Dget_space(dataset.get()), path_, "reading dataset", path), H5Sclose);
  Handle stored_type(check_id(H5Dget_type(dataset.get()), path_, "reading dataset", path), H5Tclose);
  if (H5Sget_simple_extent_type(space.get()) != H5S_SCALAR || H5Tget_class(stored_type.get()) != H5T_STRING) {
    fail_because(path_, "reading dataset", path, "not a scalar string");
  }
  const Handle type = utf8_string_type(path_, path);
  char* text = nullptr;
  check_status(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), path_, "reading dataset",
               path);
  if (text == nullptr) fail_because(path_, "reading dataset", path, "it holds no string");
  std::string result(text);
  H5free_memory(text);
  return result;
}

template <typename T>
std::vector<T> InputFile::read_column(const std::string& path) const {
  silence_hdf5();
  Handle dataset(check_id(H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT), path_, "opening dataset", path), H5Dclose);
  Handle space(check_id(H5Dget_space(dataset.get()), path_, "reading dataset", path), H5Sclose);
  if (H5Sget_simple_extent_ndims(space.get()) != 1) fail_because(path_, "reading dataset", path, "not a 1-D dataset");
  hsize_t length = 0;
  check_status(H5Sget_simple_extent_dims(space.get(), &length, nullptr), path_, "reading dataset", path);
  std::vector<T> values(length);
  if (length > 0) {
    check_status(H5Dread(dataset.get(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path_,
                 "reading dataset", path);
  }
  return values;
}

template <typename T>
std::vector<T> InputFile::read_table(const std::string& path, std::uint64_t& columns) const {
  silence_hdf5();
  Handle dataset(check_id(H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT), path_, "opening dataset", path), H5Dclose);
  Handle space(check_id(H5Dget_space(dataset.get()), path_, "reading dataset", path), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank != 1 && rank != 2) fail_because(path_, "reading dataset", path, "not a 1-D or 2-D dataset");
  hsize_t dims[2] = {0, 1};
  check_status(H5Sget_simple_extent_dims(space.get(), dims, nullptr), path_, "reading dataset", path);
  columns = dims[1];
  std::vector<T> values(dims[0] * dims[1]);
  if (!values.empty()) {
    check_status(H5Dread(dataset.get(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path_,
                 "reading dataset", path);
  }
  return values;
}

bool InputFile::has_attribute(const std::string& path, const std::string& name) const {
  silence_hdf5();
  const htri_t found = H5Aexists_by_name(file_.get(), path.c_str(), name.c_str(), H5P_DEFAULT);
  check_status(found, path_, "looking up", "attribute '" + name + "' of " + path);
  return found > 0;
}

namespace {

/// Opens the attribute `name` of the object at `path` and checks its type class; `what` names it in errors.
Handle open_attribute(hid_t file, const std::filesystem::path& file_path, const std::string& path,
                      const std::string& name, H5T_class_t expected, const char* expected_name, std::string& what,
                      Handle& stored_type) {
  what = "attribute '" + name + "' of " + path;
  Handle attribute(
      check_id(H5Aopen_by_name(file, path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), file_path, "opening", what),
      H5Aclose);
  stored_type = Handle(check_id(H5Aget_type(attribute.get()), file_path, "reading", what), H5Tclose);
  if (H5Tget_class(stored_type.get()) != expected) fail_because(file_path, "reading", what, expected_name);
  return attribute;
}

}  // namespace

std::string InputFile::read_string_attribute(const std::string& path, const std::string& name) const {
  silence_hdf5();
  std::string what;
  Handle stored_type;
  const Handle attribute =
      open_attribute(file_.get(), path_, path, name, H5T_STRING, "not a string", what, stored_type);
  if (H5Tis_variable_str(stored_type.get()) <= 0) {  // a fixed-length string (as h5py may write)
    std::string text(H5Tget_size(stored_type.get()), '\0');
    check_status(H5Aread(attribute.get(), stored_type.get(), text.data()), path_, "reading", what);
    return text.substr(0, text.find('\0'));
  }
  const Handle type = utf8_string_type(path_, what);
  char* text = nullptr;
  check_status(H5Aread(attribute.get(), type.get(), &text), path_, "reading", what);
  if (text == nullptr) return "";
  std::string result(text);
  H5free_memory(text);
  return result;
}

std::int64_t InputFile::read_integer_attribute(const std::string& path, const std::string& name) const {
  silence_hdf5();
  std::string what;
  Handle stored_type;
  const Handle attribute =
      open_attribute(file_.get(), path_, path, name, H5T_INTEGER, "not an integer", what, stored_type);
  std::int64_t value = 0;
  check_status(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), path_, "reading", what);
  return value;
}

std::string hdf5_version() {
  unsigned major = 0;
  unsigned minor = 0;
  unsigned release = 0;
  H5get_libversion(&major, &minor, &release);
  std::string version = std::to_string(major);
  version += '.';
  version += std::to_string(minor);
  version += '.';
  version += std::to_string(release);
  return version;
}

// --- explicit instantiations ------------------------------------------------------------------------------

#define FANFLOW_IO_INSTANTIATE(T)                                                                              \
  template void OutputFile::write_column<T>(const std::string&, std::span<const T>, std::string_view,          \
                                            std::string_view);                                                 \
  template GrowingDataset OutputFile::create_growing<T>(                                                       \
      const std::string&, std::uint64_t, const std::vector<std::string>&, std::string_view, std::string_view); \
  template void GrowingDataset::append<T>(std::span<const T>);                                                 \
  template FixedDataset OutputFile::create_fixed<T>(const std::string&, const std::vector<std::uint64_t>&, T,  \
                                                    std::string_view, std::string_view);                       \
  template void FixedDataset::write_row<T>(std::uint64_t, std::span<const T>);                                 \
  template std::vector<T> InputFile::read_column<T>(const std::string&) const;                                 \
  template std::vector<T> InputFile::read_table<T>(const std::string&, std::uint64_t&) const;

FANFLOW_IO_INSTANTIATE(std::uint8_t)
FANFLOW_IO_INSTANTIATE(std::uint16_t)
FANFLOW_IO_INSTANTIATE(std::uint32_t)
FANFLOW_IO_INSTANTIATE(std::uint64_t)
FANFLOW_IO_INSTANTIATE(std::int32_t)
FANFLOW_IO_INSTANTIATE(std::int64_t)
FANFLOW_IO_INSTANTIATE(float)
FANFLOW_IO_INSTANTIATE(double)

#undef FANFLOW_IO_INSTANTIATE

}  // namespace fanflow::io
