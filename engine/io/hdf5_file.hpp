// A small RAII layer over the HDF5 C library for fanflow's run, sweep and comparison files: one file written
// under a temporary name and renamed into place only by commit() (or in place, for SWMR), columns with unit
// and description attributes, series that grow by one row per tick, fixed-size datasets written row by row,
// and the few reads that inspect an existing file.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fanflow::io {

/// Owns one HDF5 identifier and closes it with the matching H5*close function. Closing an identifier that is
/// no longer valid (already closed, e.g. by OutputFile::commit()) is harmless.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept { *this = std::move(other); }
  Handle& operator=(Handle&& other) noexcept;
  ~Handle() { reset(); }
  hid_t get() const { return id_; }
  /// Closes the identifier if it is still valid (ignoring errors) and leaves the handle empty.
  void reset();
  /// Gives up ownership without closing: returns the identifier and leaves the handle empty.
  hid_t release() noexcept;

 private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

/// A dataset that grows along its first dimension: [rows] or [rows x columns], one append() per tick.
/// Chunked and gzip-compressed; OutputFile::flush() makes appended rows durable. Made by
/// OutputFile::create_growing(); movable, not copyable. The OutputFile must outlive it for appends to work:
/// after commit() or destruction of the file, append() throws std::logic_error (destroying the
/// GrowingDataset stays safe).
class GrowingDataset {
 public:
  GrowingDataset() = default;
  /// Appends one row of `columns` values (columns = 1 for a 1-D series). T must be the type the dataset was
  /// created with and row.size() must equal its column count (std::invalid_argument otherwise). A failed
  /// write throws (InputError for a full disk) and the next append() retries the same row.
  template <typename T>
  void append(std::span<const T> row);
  /// The same for a whole vector.
  template <typename T>
  void append(const std::vector<T>& row) {
    append(std::span<const T>(row));
  }
  std::uint64_t rows() const { return rows_; }

 private:
  friend class OutputFile;
  Handle dataset_;
  hid_t memory_type_ = H5I_INVALID_HID;
  std::uint64_t columns_ = 0;
  bool two_dimensional_ = false;
  std::uint64_t rows_ = 0;
  std::filesystem::path file_;  // the output file's final path, for error messages
  std::string path_;            // the dataset's path in the file, for error messages
};

/// A dataset created at its full size, [rows] or [rows x columns], holding its fill value until a row is
/// written; write_row() writes one row anywhere and flushes it (H5Dflush), so that SWMR readers see it. Made
/// by OutputFile::create_fixed(); movable, not copyable. Like GrowingDataset, writing after its file was
/// committed throws std::logic_error, and destroying it stays safe.
class FixedDataset {
 public:
  FixedDataset() = default;
  /// Writes row `row` (< rows()): `columns()` values, or one value for a 1-D dataset, of the type the
  /// dataset was created with (std::invalid_argument otherwise), then flushes the dataset. A failed write
  /// throws (InputError for a full disk).
  template <typename T>
  void write_row(std::uint64_t row, std::span<const T> values);
  /// The same for a whole vector.
  template <typename T>
  void write_row(std::uint64_t row, const std::vector<T>& values) {
    write_row(row, std::span<const T>(values));
  }
  std::uint64_t rows() const { return rows_; }
  /// Values per row: the second dimension, 1 for a 1-D dataset.
  std::uint64_t columns() const { return columns_; }

 private:
  friend class OutputFile;
  Handle dataset_;
  hid_t memory_type_ = H5I_INVALID_HID;
  std::uint64_t rows_ = 0;
  std::uint64_t columns_ = 0;
  std::filesystem::path file_;         // the output file's final path, for error messages
  std::string path_;                   // the dataset's path in the file, for error messages
  std::shared_ptr<bool> file_failed_;  // the output file's record of a failed write
};

/// How an OutputFile reaches its final path.
enum class WriteMode {
  /// Written as `<path>.partial` and renamed into place by commit(); removed if never committed.
  Partial,
  /// Written at `path` from the start (truncating it), with the "latest" library-version bounds that SWMR
  /// writing needs; commit() only closes it, and an uncommitted file is closed and kept (a sweep file is
  /// resumable). After a failed write (a full disk) HDF5 1.10 can no longer close a file cleanly, so what was
  /// not yet flushed is then discarded: the file stays as it was last flushed. Used by sweep files.
  InPlace,
};

/// Whether write_text() and write_strings() give the dataset a `unit` attribute (empty: text has no unit).
/// Run and comparison files do; sweep files (format version 1) never did, and keep their layout.
enum class TextUnit { Empty, Omitted };

/// One output file. Construction creates `<path>.partial` (failing with InputError if it cannot), writes go
/// there, and commit() closes the file and renames it to `path`. If the object is destroyed without commit()
/// (an error, an exception), the partial file is removed, so no file that looks complete is ever left.
/// Every HDF5 failure becomes a one-line exception naming the file and the dataset: InputError when the
/// operating system refused (disk full, permissions), std::runtime_error otherwise; HDF5's own error-stack
/// printing is turned off. Not thread-safe: use one OutputFile from one thread at a time.
/// Strings are variable-length UTF-8 (h5py returns attributes as str; string datasets read as str via .asstr()).
/// Creation and modification times are not recorded, so identical runs write identical objects.
/// With WriteMode::InPlace the file is created at `path` itself (see WriteMode).
class OutputFile {
 public:
  explicit OutputFile(std::filesystem::path final_path, WriteMode mode = WriteMode::Partial);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::filesystem::path& final_path() const { return final_path_; }
  /// Where the file is written until commit(): `<path>.partial`, or the final path itself when in place.
  const std::filesystem::path& partial_path() const { return partial_path_; }
  WriteMode mode() const { return mode_; }

  /// Writes a whole 1-D column at `path` ("/creators/summary/followers"), creating parent groups.
  /// Supported T: std::uint8_t, std::uint16_t, std::uint32_t, std::uint64_t, std::int32_t, std::int64_t,
  /// float, double. Columns above a few thousand values are chunked and compressed.
  template <typename T>
  void write_column(const std::string& path, std::span<const T> values, std::string_view unit,
                    std::string_view description);
  /// The same for a whole vector.
  template <typename T>
  void write_column(const std::string& path, const std::vector<T>& values, std::string_view unit,
                    std::string_view description) {
    write_column(path, std::span<const T>(values), unit, description);
  }

  /// Writes a 1-D column of variable-length UTF-8 strings.
  void write_strings(const std::string& path, const std::vector<std::string>& values, std::string_view description,
                     TextUnit unit = TextUnit::Empty);

  /// Writes one (possibly long, multi-line) UTF-8 string as a scalar dataset.
  void write_text(const std::string& path, std::string_view text, std::string_view description,
                  TextUnit unit = TextUnit::Empty);

  /// Creates a growing dataset of T at `path`: 1-D when column_names is empty ([ticks]), otherwise 2-D
  /// ([ticks x columns]) with a `columns` attribute listing the column names. `columns` (when column_names is
  /// empty and columns > 1) makes a 2-D dataset without names, e.g. [ticks x creators]. Throws
  /// std::invalid_argument if columns is 0 or differs from a non-empty column_names.size().
  template <typename T>
  GrowingDataset create_growing(const std::string& path, std::uint64_t columns,
                                const std::vector<std::string>& column_names, std::string_view unit,
                                std::string_view description);

  /// Creates a chunked dataset of T at `path` at its full size: shape {rows} or {rows, columns}, every
  /// element `fill` (e.g. NaN or 0) until write_row() replaces its row. Not compressed. Throws
  /// std::invalid_argument for a shape of another rank.
  template <typename T>
  FixedDataset create_fixed(const std::string& path, const std::vector<std::uint64_t>& shape, T fill,
                            std::string_view unit, std::string_view description);

  /// Sets a string, integer or floating attribute on the object at `path` ("/" for the root), creating the
  /// group if it does not exist.
  void set_attribute(const std::string& path, const std::string& name, std::string_view value);
  void set_attribute(const std::string& path, const std::string& name, std::int64_t value);
  void set_attribute(const std::string& path, const std::string& name, double value);
  /// Sets an attribute holding a 1-D array of strings (h5py reads it as an array of str).
  void set_attribute(const std::string& path, const std::string& name, const std::vector<std::string>& values);

  /// Makes everything written so far durable in the partial file (H5Fflush).
  void flush();

  /// Starts SWMR writing (H5Fstart_swmr_write; WriteMode::InPlace files only, std::logic_error otherwise):
  /// from now on readers may open the file with SWMR and see each FixedDataset row once write_row() returns.
  /// Write every dataset and attribute first: HDF5 creates no new objects in SWMR mode.
  void start_swmr();

  /// Closes the file (and any dataset GrowingDataset and FixedDataset objects still hold) and renames it into
  /// place (in place: only closes it cleanly, so that it opens without SWMR). Throws InputError if that fails
  /// (a partial file is then removed by the destructor). Afterwards the object is inert: further writes throw
  /// std::logic_error, a second commit() does nothing.
  void commit();

 private:
  hid_t group_for(const std::string& dataset_path);        // creates intermediate groups, returns parent group
  hid_t open_group(const std::string& group_path);         // creates missing groups, returns the (cached) group
  hid_t open_object(const std::string& path);              // opens a group or dataset (creating a group); caller closes
  void require_writable(const std::string& object) const;  // std::logic_error after commit()
  std::filesystem::path final_path_;
  std::filesystem::path partial_path_;
  WriteMode mode_ = WriteMode::Partial;
  Handle file_;
  std::map<std::string, Handle> groups_;  // open groups by absolute path, closed by commit()
  bool committed_ = false;
  std::shared_ptr<bool> failed_ = std::make_shared<bool>(false);  // a write (or FixedDataset row) threw
};

/// An existing HDF5 file opened read-only, for inspecting it (e.g. a sweep file before resuming it). Every
/// failure is a one-line exception naming the file and the object, as for OutputFile: InputError when the
/// operating system refused (a missing file, permissions), std::runtime_error otherwise (not an HDF5 file, a
/// missing dataset, another shape or type). Not thread-safe.
class InputFile {
 public:
  explicit InputFile(std::filesystem::path path);
  const std::filesystem::path& path() const { return path_; }

  /// Whether a dataset or group exists at `path` (every component of it).
  bool contains(const std::string& path) const;
  /// Reads a scalar string dataset (as written by OutputFile::write_text()).
  std::string read_text(const std::string& path) const;
  /// Reads a whole 1-D dataset as T (the same types as OutputFile::write_column(); HDF5 converts).
  template <typename T>
  std::vector<T> read_column(const std::string& path) const;
  /// Reads a whole 1-D or 2-D dataset as T, row-major; `columns` is set to its second dimension (1 for 1-D).
  template <typename T>
  std::vector<T> read_table(const std::string& path, std::uint64_t& columns) const;
  /// Reads a string attribute of the object at `path` ("/" for the root).
  std::string read_string_attribute(const std::string& path, const std::string& name) const;
  /// Reads an integer attribute of the object at `path`.
  std::int64_t read_integer_attribute(const std::string& path, const std::string& name) const;
  /// Whether the object at `path` has the attribute `name`.
  bool has_attribute(const std::string& path, const std::string& name) const;

 private:
  std::filesystem::path path_;
  Handle file_;
};

/// The HDF5 library version, e.g. "1.10.8".
std::string hdf5_version();

}  // namespace fanflow::io
