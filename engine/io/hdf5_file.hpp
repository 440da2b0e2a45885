// A small RAII layer over the HDF5 C library for fanflow's output: one file written under a temporary name
// and renamed into place only by commit(), columns with unit and description attributes, and series that
// grow by one row per tick.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fanflow::io {

/// Owns one HDF5 identifier and closes it with the matching H5*close function.
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
  void reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

/// A dataset that grows along its first dimension: [rows] or [rows x columns], one append() per tick.
/// Chunked and gzip-compressed; OutputFile::flush() makes appended rows durable.
class GrowingDataset {
 public:
  GrowingDataset() = default;
  /// Appends one row of `columns` values (columns = 1 for a 1-D series).
  template <typename T>
  void append(std::span<const T> row);
  std::uint64_t rows() const { return rows_; }

 private:
  friend class OutputFile;
  Handle dataset_;
  hid_t memory_type_ = H5I_INVALID_HID;
  std::uint64_t columns_ = 0;
  bool two_dimensional_ = false;
  std::uint64_t rows_ = 0;
};

/// One output file. Construction creates `<path>.partial` (failing with InputError if it cannot), writes go
/// there, and commit() closes the file and renames it to `path`. If the object is destroyed without commit()
/// (an error, an exception), the partial file is removed, so no file that looks complete is ever left.
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

  /// Writes a 1-D column of variable-length UTF-8 strings.
  void write_strings(const std::string& path, const std::vector<std::string>& values, std::string_view description);

  /// Writes one (possibly long, multi-line) UTF-8 string as a scalar dataset.
  void write_text(const std::string& path, std::string_view text, std::string_view description);

  /// Creates a growing dataset of T at `path`: 1-D when column_names is empty ([ticks]), otherwise 2-D
  /// ([ticks x columns]) with a `columns` attribute listing the column names. `columns` (when column_names is
  /// empty and columns > 1) makes a 2-D dataset without names, e.g. [ticks x creators].
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

  /// Closes the file and renames it into place. Throws InputError if that fails.
  void commit();

 private:
  hid_t group_for(const std::string& dataset_path);  // creates intermediate groups, returns parent group
  std::filesystem::path final_path_;
  std::filesystem::path partial_path_;
  Handle file_;
  std::vector<Handle> groups_;
  bool committed_ = false;
};

/// The HDF5 library version, e.g. "1.10.8".
std::string hdf5_version();

}  // namespace fanflow::io
