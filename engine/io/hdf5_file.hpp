// A small RAII layer over the HDF5 C library for fanflow's output: one file written under a temporary name
// and renamed into place only by commit(), columns with unit and description attributes, and series that
// grow by one row per tick.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <map>
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

/// One output file. Construction creates `<path>.partial` (failing with InputError if it cannot), writes go
/// there, and commit() closes the file and renames it to `path`. If the object is destroyed without commit()
/// (an error, an exception), the partial file is removed, so no file that looks complete is ever left.
/// Every HDF5 failure becomes a one-line exception naming the file and the dataset: InputError when the
/// operating system refused (disk full, permissions), std::runtime_error otherwise; HDF5's own error-stack
/// printing is turned off. Not thread-safe: use one OutputFile from one thread at a time.
/// Strings are variable-length UTF-8 (h5py returns attributes as str; string datasets read as str via .asstr()).
/// Creation and modification times are not recorded, so identical runs write identical objects.
class OutputFile {
 public:
  explicit OutputFile(std::filesystem::path final_path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::filesystem::path& final_path() const { return final_path_; }
  const std::filesystem::path& partial_path() const { return partial_path_; }

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
  void write_strings(const std::string& path, const std::vector<std::string>& values, std::string_view description);

  /// Writes one (possibly long, multi-line) UTF-8 string as a scalar dataset.
  void write_text(const std::string& path, std::string_view text, std::string_view description);

  /// Creates a growing dataset of T at `path`: 1-D when column_names is empty ([ticks]), otherwise 2-D
  /// ([ticks x columns]) with a `columns` attribute listing the column names. `columns` (when column_names is
  /// empty and columns > 1) makes a 2-D dataset without names, e.g. [ticks x creators]. Throws
  /// std::invalid_argument if columns is 0 or differs from a non-empty column_names.size().
  template <typename T>
  GrowingDataset create_growing(const std::string& path, std::uint64_t columns,
                                const std::vector<std::string>& column_names, std::string_view unit,
                                std::string_view description);

  /// Sets a string, integer or floating attribute on the object at `path` ("/" for the root), creating the
  /// group if it does not exist.
  void set_attribute(const std::string& path, const std::string& name, std::string_view value);
  void set_attribute(const std::string& path, const std::string& name, std::int64_t value);
  void set_attribute(const std::string& path, const std::string& name, double value);

  /// Makes everything written so far durable in the partial file (H5Fflush).
  void flush();

  /// Closes the file (and any dataset GrowingDataset objects still hold) and renames it into place. Throws
  /// InputError if that fails (the partial file is then removed by the destructor). Afterwards the object is
  /// inert: further writes throw std::logic_error, a second commit() does nothing.
  void commit();

 private:
  hid_t group_for(const std::string& dataset_path);        // creates intermediate groups, returns parent group
  hid_t open_group(const std::string& group_path);         // creates missing groups, returns the (cached) group
  hid_t open_object(const std::string& path);              // opens a group or dataset (creating a group); caller closes
  void require_writable(const std::string& object) const;  // std::logic_error after commit()
  std::filesystem::path final_path_;
  std::filesystem::path partial_path_;
  Handle file_;
  std::map<std::string, Handle> groups_;  // open groups by absolute path, closed by commit()
  bool committed_ = false;
};

/// The HDF5 library version, e.g. "1.10.8".
std::string hdf5_version();

}  // namespace fanflow::io
