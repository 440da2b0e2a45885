// Tests of the HDF5 layer: every kind of dataset written by OutputFile is read back with the HDF5 C API, the
// partial-file / in-place / commit / failure behaviour is checked on a real temporary folder, and InputFile
// reads back what it should and names what it cannot.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/hdf5_file.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using fanflow::InputError;
using fanflow::io::FixedDataset;
using fanflow::io::GrowingDataset;
using fanflow::io::Handle;
using fanflow::io::InputFile;
using fanflow::io::OutputFile;
using fanflow::io::TextUnit;
using fanflow::io::WriteMode;

namespace {

using TempDir = fanflow::testing::TempDir;

/// Opens a finished file read-only.
Handle open_file(const fs::path& path) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  return Handle(file, H5Fclose);
}

Handle open_dataset(const Handle& file, const std::string& path) {
  const hid_t dataset = H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  return Handle(dataset, H5Dclose);
}

/// The dimensions of a dataset.
std::vector<hsize_t> dims_of(const Handle& dataset) {
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  REQUIRE(rank >= 0);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

/// Reads a whole numeric dataset as `memory_type` into a vector of T.
template <typename T>
std::vector<T> read_all(const Handle& file, const std::string& path, hid_t memory_type) {
  const Handle dataset = open_dataset(file, path);
  std::size_t count = 1;
  for (const auto d : dims_of(dataset)) count *= d;
  std::vector<T> values(count);
  if (count > 0) REQUIRE(H5Dread(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  return values;
}

/// A variable-length UTF-8 string memory type.
Handle string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

/// Checks that a stored type is a variable-length UTF-8 string.
void require_utf8_vlen(hid_t stored_type) {
  REQUIRE(H5Tget_class(stored_type) == H5T_STRING);
  REQUIRE(H5Tis_variable_str(stored_type) > 0);
  REQUIRE(H5Tget_cset(stored_type) == H5T_CSET_UTF8);
}

/// Reads the variable-length strings of an attribute (scalar or 1-D) `name` of the object at `path`.
std::vector<std::string> read_string_attribute_values(const Handle& file, const std::string& path,
                                                      const std::string& name) {
  REQUIRE(H5Aexists_by_name(file.get(), path.c_str(), name.c_str(), H5P_DEFAULT) > 0);
  Handle attribute(H5Aopen_by_name(file.get(), path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  REQUIRE(attribute.get() >= 0);
  Handle stored(H5Aget_type(attribute.get()), H5Tclose);
  require_utf8_vlen(stored.get());
  Handle space(H5Aget_space(attribute.get()), H5Sclose);
  const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  std::vector<char*> pointers(count, nullptr);
  const Handle type = string_type();
  if (count > 0) REQUIRE(H5Aread(attribute.get(), type.get(), pointers.data()) >= 0);
  std::vector<std::string> values;
  for (char* pointer : pointers) {
    values.emplace_back(pointer != nullptr ? pointer : "");
    H5free_memory(pointer);
  }
  return values;
}

std::string read_string_attribute(const Handle& file, const std::string& path, const std::string& name) {
  const auto values = read_string_attribute_values(file, path, name);
  REQUIRE(values.size() == 1);
  return values[0];
}

template <typename T>
T read_scalar_attribute(const Handle& file, const std::string& path, const std::string& name, hid_t memory_type) {
  Handle attribute(H5Aopen_by_name(file.get(), path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  REQUIRE(attribute.get() >= 0);
  T value{};
  REQUIRE(H5Aread(attribute.get(), memory_type, &value) >= 0);
  return value;
}

/// Reads a dataset of variable-length strings (scalar or 1-D).
std::vector<std::string> read_strings(const Handle& file, const std::string& path) {
  const Handle dataset = open_dataset(file, path);
  Handle stored(H5Dget_type(dataset.get()), H5Tclose);
  require_utf8_vlen(stored.get());
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  std::vector<char*> pointers(count, nullptr);
  const Handle type = string_type();
  if (count > 0) REQUIRE(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) >= 0);
  std::vector<std::string> values;
  for (char* pointer : pointers) {
    values.emplace_back(pointer != nullptr ? pointer : "");
    H5free_memory(pointer);
  }
  return values;
}

/// Whether the stored type of a dataset equals `file_type`.
bool stored_as(const Handle& file, const std::string& path, hid_t file_type) {
  const Handle dataset = open_dataset(file, path);
  Handle stored(H5Dget_type(dataset.get()), H5Tclose);
  return H5Tequal(stored.get(), file_type) > 0;
}

/// Makes every further write to `file` fail as on a full disk: points this process's descriptor open on it
/// at /dev/full. Returns false if no such descriptor was found.
bool fill_disk_under(const fs::path& file) {
  const fs::path target = fs::weakly_canonical(file);
  for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    if (fs::read_symlink(entry.path(), error) != target || error) continue;
    const int full = ::open("/dev/full", O_RDWR);
    if (full < 0) return false;
    const bool replaced = ::dup2(full, std::stoi(entry.path().filename().string())) >= 0;
    ::close(full);
    return replaced;
  }
  return false;
}

/// The superblock's status flag for a file open for SWMR writing (HDF5 file format specification, version 3).
constexpr unsigned char kSwmrWriteFlag = 0x04;

/// The first 12 bytes of a file: the HDF5 signature, the superblock version and its status flags (byte 11).
std::array<unsigned char, 12> superblock_bytes(const fs::path& path) {
  std::array<unsigned char, 12> bytes{};
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(bytes.data()), bytes.size());
  REQUIRE(in.gcount() == 12);
  return bytes;
}

/// Writes a column of T and checks values, stored type and attributes after commit.
template <typename T>
void check_column_round_trip(const std::vector<T>& values, hid_t memory_type, hid_t file_type) {
  TempDir dir;
  const fs::path path = dir.path() / "column.h5";
  {
    OutputFile out(path);
    out.write_column<T>("/group/sub/values", values, "widgets", "some widgets");
    out.commit();
  }
  const Handle file = open_file(path);
  CHECK(read_all<T>(file, "/group/sub/values", memory_type) == values);
  CHECK(stored_as(file, "/group/sub/values", file_type));
  CHECK(read_string_attribute(file, "/group/sub/values", "unit") == "widgets");
  CHECK(read_string_attribute(file, "/group/sub/values", "description") == "some widgets");
}

}  // namespace

TEST_CASE("io: columns of every supported type round-trip with unit and description", "[io]") {
  check_column_round_trip<std::uint8_t>({0, 1, 255}, H5T_NATIVE_UINT8, H5T_STD_U8LE);
  check_column_round_trip<std::uint16_t>({0, 7, 65535}, H5T_NATIVE_UINT16, H5T_STD_U16LE);
  check_column_round_trip<std::uint32_t>({0, 42, 4294967295u}, H5T_NATIVE_UINT32, H5T_STD_U32LE);
  check_column_round_trip<std::uint64_t>({0, 1, 18446744073709551615ull}, H5T_NATIVE_UINT64, H5T_STD_U64LE);
  check_column_round_trip<std::int32_t>({-5, 0, 2147483647}, H5T_NATIVE_INT32, H5T_STD_I32LE);
  check_column_round_trip<std::int64_t>({-9000000000ll, 0, 9000000000ll}, H5T_NATIVE_INT64, H5T_STD_I64LE);
  check_column_round_trip<float>({-1.5f, 0.0f, 3.25f}, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE);
  check_column_round_trip<double>({-1e300, 0.1, 2.5}, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE);
}

TEST_CASE("io: long columns are chunked and compressed, empty columns work", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "long.h5";
  std::vector<std::uint32_t> long_column(100000);
  for (std::size_t i = 0; i < long_column.size(); ++i) long_column[i] = static_cast<std::uint32_t>(i % 1000);
  {
    OutputFile out(path);
    out.write_column<std::uint32_t>("/long", long_column, "", "a long column");
    out.write_column<double>("/empty", std::vector<double>{}, "s", "nothing");
    out.commit();
  }
  const Handle file = open_file(path);
  CHECK(read_all<std::uint32_t>(file, "/long", H5T_NATIVE_UINT32) == long_column);
  CHECK(read_string_attribute(file, "/long", "unit").empty());
  {
    const Handle dataset = open_dataset(file, "/long");
    Handle dcpl(H5Dget_create_plist(dataset.get()), H5Pclose);
    CHECK(H5Pget_layout(dcpl.get()) == H5D_CHUNKED);
    CHECK(H5Pget_nfilters(dcpl.get()) == 2);
    hsize_t chunk = 0;
    REQUIRE(H5Pget_chunk(dcpl.get(), 1, &chunk) == 1);
    CHECK(chunk == 65536);
  }
  CHECK(dims_of(open_dataset(file, "/empty")) == std::vector<hsize_t>{0});
  CHECK(read_string_attribute(file, "/empty", "description") == "nothing");
}

TEST_CASE("io: growing 1-D and 2-D datasets round-trip after several appends", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "growing.h5";
  const std::vector<std::string> names = {"feed", "search", "shares"};
  {
    OutputFile out(path);
    GrowingDataset series = out.create_growing<std::uint64_t>("/timeseries/active", 1, {}, "users", "active users");
    GrowingDataset table = out.create_growing<double>("/timeseries/views", 3, names, "views", "views per channel");
    GrowingDataset wide = out.create_growing<std::uint32_t>("/creators/followers", 20000, {}, "followers", "f");
    std::vector<std::uint32_t> wide_row(20000);
    for (std::uint64_t tick = 0; tick < 5; ++tick) {
      const std::uint64_t value = tick * 10;
      series.append(std::span<const std::uint64_t>(&value, 1));
      const std::array<double, 3> row = {double(tick), double(tick) + 0.5, -double(tick)};
      table.append(std::span<const double>(row));
      for (std::size_t c = 0; c < wide_row.size(); ++c) wide_row[c] = static_cast<std::uint32_t>(tick * 100000 + c);
      wide.append(std::span<const std::uint32_t>(wide_row));
      if (tick == 2) out.flush();
    }
    CHECK(series.rows() == 5);
    CHECK(table.rows() == 5);
    GrowingDataset moved = std::move(table);  // movable; the moved-to object keeps appending
    const std::array<double, 3> last = {9.0, 9.5, -9.0};
    moved.append(std::span<const double>(last));
    CHECK(moved.rows() == 6);
    out.commit();  // the GrowingDataset objects are still alive here
  }
  const Handle file = open_file(path);
  CHECK(dims_of(open_dataset(file, "/timeseries/active")) == std::vector<hsize_t>{5});
  CHECK(read_all<std::uint64_t>(file, "/timeseries/active", H5T_NATIVE_UINT64) ==
        std::vector<std::uint64_t>{0, 10, 20, 30, 40});
  CHECK(read_string_attribute(file, "/timeseries/active", "unit") == "users");
  CHECK(H5Aexists_by_name(file.get(), "/timeseries/active", "columns", H5P_DEFAULT) == 0);

  CHECK(dims_of(open_dataset(file, "/timeseries/views")) == std::vector<hsize_t>{6, 3});
  CHECK(read_all<double>(file, "/timeseries/views", H5T_NATIVE_DOUBLE) ==
        std::vector<double>{0, 0.5, 0, 1, 1.5, -1, 2, 2.5, -2, 3, 3.5, -3, 4, 4.5, -4, 9, 9.5, -9});
  CHECK(read_string_attribute_values(file, "/timeseries/views", "columns") == names);
  CHECK(read_string_attribute(file, "/timeseries/views", "description") == "views per channel");

  CHECK(dims_of(open_dataset(file, "/creators/followers")) == std::vector<hsize_t>{5, 20000});
  const auto wide = read_all<std::uint32_t>(file, "/creators/followers", H5T_NATIVE_UINT32);
  CHECK(wide[0] == 0);
  CHECK(wide[19999] == 19999);
  CHECK(wide[4 * 20000 + 123] == 400123);
}

TEST_CASE("io: appending a row of the wrong width or type throws", "[io]") {
  TempDir dir;
  OutputFile out(dir.path() / "bad.h5");
  GrowingDataset table = out.create_growing<double>("/t", 2, {"a", "b"}, "", "");
  const std::array<double, 3> too_wide = {1, 2, 3};
  CHECK_THROWS_AS(table.append(std::span<const double>(too_wide)), std::invalid_argument);
  const std::array<float, 2> wrong_type = {1, 2};
  CHECK_THROWS_AS(table.append(std::span<const float>(wrong_type)), std::invalid_argument);
  CHECK(table.rows() == 0);
  CHECK_THROWS_AS(out.create_growing<double>("/u", 3, {"a", "b"}, "", ""), std::invalid_argument);
}

TEST_CASE("io: string columns and text round-trip as variable-length UTF-8", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "strings.h5";
  const std::vector<std::string> names = {"alpha", "", "Zürich ✓", "a longer name with spaces"};
  const std::string text = "run:\n  seed: 7\n  days: 30\n";
  {
    OutputFile out(path);
    out.write_strings("/meta/names", names, "the names");
    out.write_strings("/meta/none", {}, "no names");
    out.write_text("/provenance/scenario", text, "the scenario");
    out.commit();
  }
  const Handle file = open_file(path);
  CHECK(read_strings(file, "/meta/names") == names);
  CHECK(read_strings(file, "/meta/none").empty());
  CHECK(read_string_attribute(file, "/meta/names", "description") == "the names");
  CHECK(dims_of(open_dataset(file, "/provenance/scenario")).empty());  // scalar
  CHECK(read_strings(file, "/provenance/scenario") == std::vector<std::string>{text});
  CHECK(read_string_attribute(file, "/provenance/scenario", "description") == "the scenario");
}

TEST_CASE("io: attributes on the root, new groups and datasets, overwritten by name", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "attributes.h5";
  {
    OutputFile out(path);
    out.set_attribute("/", "format", std::string_view("fanflow-run"));
    out.set_attribute("/", "complete", std::int64_t{0});
    out.set_attribute("/", "complete", std::int64_t{1});  // overwrite
    out.set_attribute("/provenance/build", "ratio", 0.25);
    out.write_column<float>("/data/x", std::vector<float>{1.0f}, "m", "x");
    out.set_attribute("/data/x", "note", std::string_view("on a dataset"));
    out.commit();
  }
  const Handle file = open_file(path);
  CHECK(read_string_attribute(file, "/", "format") == "fanflow-run");
  CHECK(read_scalar_attribute<std::int64_t>(file, "/", "complete", H5T_NATIVE_INT64) == 1);
  CHECK(read_scalar_attribute<double>(file, "/provenance/build", "ratio", H5T_NATIVE_DOUBLE) == 0.25);
  CHECK(read_string_attribute(file, "/data/x", "note") == "on a dataset");
  CHECK(read_string_attribute(file, "/data/x", "unit") == "m");
}

TEST_CASE("io: commit renames the partial file into place", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "nested" / "folder" / "run.h5";  // missing folders are created
  OutputFile out(path);
  CHECK(out.partial_path() == fs::path(path.string() + ".partial"));
  CHECK(fs::exists(out.partial_path()));
  CHECK_FALSE(fs::exists(path));
  out.write_column<std::int32_t>("/x", std::vector<std::int32_t>{1, 2, 3}, "", "x");
  out.commit();
  CHECK(fs::exists(path));
  CHECK_FALSE(fs::exists(out.partial_path()));
  const Handle file = open_file(path);
  CHECK(read_all<std::int32_t>(file, "/x", H5T_NATIVE_INT32) == std::vector<std::int32_t>{1, 2, 3});
  // After commit the object is inert.
  CHECK_NOTHROW(out.commit());
  CHECK_THROWS_AS(out.write_column<std::int32_t>("/y", std::vector<std::int32_t>{1}, "", ""), std::logic_error);
  CHECK_THROWS_AS(out.flush(), std::logic_error);
}

TEST_CASE("io: a growing dataset outliving its committed file is safe", "[io]") {
  TempDir dir;
  GrowingDataset series;
  {
    OutputFile out(dir.path() / "outlived.h5");
    series = out.create_growing<std::int64_t>("/s", 1, {}, "", "");
    const std::int64_t value = 3;
    series.append(std::span<const std::int64_t>(&value, 1));
    out.commit();
  }
  const std::int64_t value = 4;
  CHECK_THROWS_AS(series.append(std::span<const std::int64_t>(&value, 1)), std::logic_error);
  const Handle file = open_file(dir.path() / "outlived.h5");
  CHECK(read_all<std::int64_t>(file, "/s", H5T_NATIVE_INT64) == std::vector<std::int64_t>{3});
}

TEST_CASE("io: destroying without commit leaves neither the partial nor the final file", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "abandoned.h5";
  {
    OutputFile out(path);
    GrowingDataset series = out.create_growing<std::uint8_t>("/s", 1, {}, "", "");
    const std::uint8_t value = 1;
    series.append(std::span<const std::uint8_t>(&value, 1));
    out.write_column<std::uint16_t>("/c", std::vector<std::uint16_t>{1, 2}, "", "");
    CHECK(fs::exists(out.partial_path()));
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(path.string() + ".partial"));
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("io: an unusable output path throws InputError naming the path", "[io]") {
  TempDir dir;
  SECTION("a folder below a regular file") {
    const fs::path regular = dir.path() / "regular_file";
    std::ofstream(regular) << "not a folder\n";
    const fs::path path = regular / "x.h5";
    try {
      OutputFile out(path);
      FAIL("no exception");
    } catch (const InputError& error) {
      CHECK_THAT(error.what(), Catch::Contains(path.string()));
      CHECK_THAT(error.what(), Catch::Contains("cannot create the output folder"));
    }
  }
  SECTION("a partial file that cannot be created") {
    const fs::path path = dir.path() / "blocked.h5";
    fs::create_directories(path.string() + ".partial");  // a folder where the partial file should go
    try {
      OutputFile out(path);
      FAIL("no exception");
    } catch (const InputError& error) {
      CHECK_THAT(error.what(), Catch::Contains(path.string()));
      CHECK_THAT(error.what(), Catch::Contains("cannot write the output file"));
    }
    CHECK(fs::is_directory(path.string() + ".partial"));  // not removed: it is not ours
  }
  SECTION("a read-only folder") {
    if (::geteuid() == 0) return;  // root writes anywhere
    const fs::path folder = dir.path() / "read_only";
    fs::create_directories(folder);
    fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec);
    const fs::path path = folder / "x.h5";
    CHECK_THROWS_AS(OutputFile(path), InputError);
    fs::permissions(folder, fs::perms::owner_all);
  }
}

TEST_CASE("io: a disk that is full before the file is created is reported as InputError", "[io]") {
  if (!fs::exists("/dev/full")) return;
  TempDir dir;
  const fs::path path = dir.path() / "full.h5";
  // The partial file is a link to /dev/full, where every write fails with ENOSPC.
  fs::create_symlink("/dev/full", path.string() + ".partial");
  try {
    OutputFile out(path);
    FAIL("no exception");
  } catch (const InputError& error) {
    CHECK_THAT(error.what(), Catch::Contains(path.string()));
    CHECK_THAT(error.what(), Catch::Contains("No space left on device"));
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(fs::symlink_status(path.string() + ".partial")));
}

TEST_CASE("io: a disk filling up during the run is reported as InputError and leaves no file", "[io]") {
  if (!fs::exists("/dev/full") || !fs::exists("/proc/self/fd")) return;
  TempDir dir;
  const fs::path path = dir.path() / "filling.h5";
  std::vector<double> values(200000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = double(i % 977) * 0.5;
  std::string message;
  SECTION("while writing columns") {
    try {
      OutputFile out(path);
      out.write_column<double>("/before", values, "", "written while there was room");
      REQUIRE(fill_disk_under(out.partial_path()));
      out.write_column<double>("/after", values, "", "written to a full disk");
      out.flush();
      out.commit();
    } catch (const InputError& error) {
      message = error.what();
    }
  }
  SECTION("while appending, with the growing datasets outliving the file") {
    GrowingDataset table;
    try {
      OutputFile out(path);
      table = out.create_growing<double>("/series/table", 20000, {}, "", "");
      REQUIRE(fill_disk_under(out.partial_path()));
      for (int tick = 0; tick < 40; ++tick) table.append(std::span<const double>(values.data(), 20000));
      out.commit();
    } catch (const InputError& error) {
      message = error.what();
    }
    CHECK_THROWS_AS(table.append(std::span<const double>(values.data(), 20000)), std::logic_error);
  }
  CHECK_THAT(message, Catch::Contains(path.string()));
  CHECK_THAT(message, Catch::Contains("No space left on device"));
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(path.string() + ".partial"));
}

TEST_CASE("io: fixed-size datasets hold their fill value until a row is written", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "fixed.h5";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  {
    OutputFile out(path);
    FixedDataset table = out.create_fixed<double>("/series/table", {4, 3}, nan, "items", "a table");
    FixedDataset flags = out.create_fixed<std::uint8_t>("/runs/done", {5}, 0, "", "flags");
    FixedDataset counts = out.create_fixed<std::int32_t>("/runs/counts", {3}, -1, "", "counts");
    FixedDataset empty = out.create_fixed<double>("/runs/none", {0}, nan, "", "no rows");
    CHECK(table.rows() == 4);
    CHECK(table.columns() == 3);
    CHECK(flags.rows() == 5);
    CHECK(flags.columns() == 1);
    CHECK(empty.rows() == 0);
    table.write_row(2, std::vector<double>{1.5, 2.5, 3.5});  // rows in any order
    table.write_row(0, std::vector<double>{-1, 0, 1});
    table.write_row(2, std::vector<double>{4, 5, 6});  // rewritten
    const std::uint8_t one = 1;
    flags.write_row(3, std::span<const std::uint8_t>(&one, 1));
    const std::int32_t seven = 7;
    counts.write_row(0, std::span<const std::int32_t>(&seven, 1));

    CHECK_THROWS_AS(table.write_row(0, std::vector<double>{1, 2}), std::invalid_argument);     // wrong width
    CHECK_THROWS_AS(table.write_row(4, std::vector<double>{1, 2, 3}), std::invalid_argument);  // past the end
    CHECK_THROWS_AS(table.write_row(0, std::vector<float>{1, 2, 3}), std::invalid_argument);   // wrong type
    CHECK_THROWS_AS(out.create_fixed<double>("/cube", {2, 2, 2}, 0.0, "", ""), std::invalid_argument);
    out.commit();
    CHECK_THROWS_AS(table.write_row(1, std::vector<double>{1, 2, 3}), std::logic_error);  // after commit
  }
  const Handle file = open_file(path);
  CHECK(dims_of(open_dataset(file, "/series/table")) == std::vector<hsize_t>{4, 3});
  const auto table = read_all<double>(file, "/series/table", H5T_NATIVE_DOUBLE);
  REQUIRE(table.size() == 12);
  CHECK(std::vector<double>(table.begin(), table.begin() + 3) == std::vector<double>{-1, 0, 1});
  CHECK(std::all_of(table.begin() + 3, table.begin() + 6, [](double v) { return std::isnan(v); }));
  CHECK(std::vector<double>(table.begin() + 6, table.begin() + 9) == std::vector<double>{4, 5, 6});
  CHECK(std::all_of(table.begin() + 9, table.end(), [](double v) { return std::isnan(v); }));
  CHECK(read_all<std::uint8_t>(file, "/runs/done", H5T_NATIVE_UINT8) == std::vector<std::uint8_t>{0, 0, 0, 1, 0});
  CHECK(read_all<std::int32_t>(file, "/runs/counts", H5T_NATIVE_INT32) == std::vector<std::int32_t>{7, -1, -1});
  CHECK(dims_of(open_dataset(file, "/runs/none")) == std::vector<hsize_t>{0});
  CHECK(stored_as(file, "/series/table", H5T_IEEE_F64LE));
  CHECK(stored_as(file, "/runs/done", H5T_STD_U8LE));
  CHECK(read_string_attribute(file, "/series/table", "unit") == "items");
  CHECK(read_string_attribute(file, "/series/table", "description") == "a table");
  // One chunk per row of a 2-D dataset.
  const Handle dataset = open_dataset(file, "/series/table");
  Handle dcpl(H5Dget_create_plist(dataset.get()), H5Pclose);
  REQUIRE(H5Pget_layout(dcpl.get()) == H5D_CHUNKED);
  hsize_t chunk[2] = {0, 0};
  REQUIRE(H5Pget_chunk(dcpl.get(), 2, chunk) == 2);
  CHECK(chunk[0] == 1);
  CHECK(chunk[1] == 3);
}

TEST_CASE("io: string-array attributes round-trip and overwrite by name", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "string_arrays.h5";
  const std::vector<std::string> factors = {"engagement.share_rate", "population.creators", "Zürich ✓", ""};
  {
    OutputFile out(path);
    out.set_attribute("/design", "factors", std::vector<std::string>{"old"});
    out.set_attribute("/design", "factors", factors);  // overwrite
    out.set_attribute("/design", "none", std::vector<std::string>{});
    out.write_column<double>("/design/lo", std::vector<double>{0.5}, "", "lo");
    out.set_attribute("/design/lo", "scales", std::vector<std::string>{"log"});
    out.commit();
  }
  const Handle file = open_file(path);
  CHECK(read_string_attribute_values(file, "/design", "factors") == factors);
  CHECK(read_string_attribute_values(file, "/design", "none").empty());
  CHECK(read_string_attribute_values(file, "/design/lo", "scales") == std::vector<std::string>{"log"});
}

TEST_CASE("io: a file written in place is at its path from the start, SWMR-readable while written", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "sweep.h5";
  std::ofstream(path) << "an older file, truncated\n";
  {
    OutputFile out(path, WriteMode::InPlace);
    CHECK(out.mode() == WriteMode::InPlace);
    CHECK(out.partial_path() == path);
    CHECK_FALSE(fs::exists(path.string() + ".partial"));
    out.set_attribute("/", "format", std::string_view("fanflow-sweep"));
    out.write_text("/provenance/definition", "the definition", "what decides the results", TextUnit::Omitted);
    out.write_strings("/runs/names", {"a", "b"}, "names", TextUnit::Omitted);
    FixedDataset done = out.create_fixed<std::uint8_t>("/runs/completed", {3}, 0, "", "flags");
    FixedDataset series = out.create_fixed<double>("/series/views", {3, 2}, 0.0, "items", "views");
    out.start_swmr();
    series.write_row(1, std::vector<double>{10, 20});
    const std::uint8_t one = 1;
    done.write_row(1, std::span<const std::uint8_t>(&one, 1));
    // The superblock (version 3: the latest format) is marked open for SWMR writing, so that readers may
    // follow it (a reader in this process cannot: HDF5 shares one open file per process).
    CHECK(superblock_bytes(path)[8] == 3);
    CHECK((superblock_bytes(path)[11] & kSwmrWriteFlag) != 0);
    out.commit();
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(path.string() + ".partial"));
  }
  CHECK((superblock_bytes(path)[11] & kSwmrWriteFlag) == 0);
  const Handle file = open_file(path);  // a clean close: it opens without SWMR
  Handle access(H5Fget_access_plist(file.get()), H5Pclose);
  H5F_libver_t low = H5F_LIBVER_EARLIEST;
  H5F_libver_t high = H5F_LIBVER_EARLIEST;
  REQUIRE(H5Pget_libver_bounds(access.get(), &low, &high) >= 0);
  CHECK(low == H5F_LIBVER_LATEST);
  CHECK(read_string_attribute(file, "/", "format") == "fanflow-sweep");
  CHECK(read_strings(file, "/provenance/definition") == std::vector<std::string>{"the definition"});
  CHECK(read_string_attribute(file, "/provenance/definition", "description") == "what decides the results");
  CHECK(H5Aexists_by_name(file.get(), "/provenance/definition", "unit", H5P_DEFAULT) == 0);  // TextUnit::Omitted
  CHECK(H5Aexists_by_name(file.get(), "/runs/names", "unit", H5P_DEFAULT) == 0);
  CHECK(read_all<std::uint8_t>(file, "/runs/completed", H5T_NATIVE_UINT8) == std::vector<std::uint8_t>{0, 1, 0});
}

TEST_CASE("io: a file written in place and never committed is kept; SWMR needs in-place files", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "interrupted.h5";
  {
    OutputFile out(path, WriteMode::InPlace);
    FixedDataset done = out.create_fixed<std::uint8_t>("/runs/completed", {2}, 0, "", "flags");
    out.start_swmr();
    const std::uint8_t one = 1;
    done.write_row(0, std::span<const std::uint8_t>(&one, 1));
  }  // destroyed without commit, as when a sweep fails
  REQUIRE(fs::exists(path));
  const InputFile in(path);
  CHECK(in.read_column<std::uint8_t>("/runs/completed") == std::vector<std::uint8_t>{1, 0});

  OutputFile partial(dir.path() / "run.h5");
  CHECK_THROWS_AS(partial.start_swmr(), std::logic_error);
}

TEST_CASE("io: InputFile reads text and columns, and names the file and dataset it cannot read", "[io]") {
  TempDir dir;
  const fs::path path = dir.path() / "input.h5";
  {
    OutputFile out(path);
    out.write_text("/provenance/definition", "line one\nline two\n", "text");
    out.write_column<std::uint8_t>("/runs/completed", std::vector<std::uint8_t>{1, 0, 1}, "", "flags");
    out.write_column<double>("/runs/empty", std::vector<double>{}, "", "nothing");
    out.commit();
  }
  const InputFile in(path);
  CHECK(in.path() == path);
  CHECK(in.contains("/provenance/definition"));
  CHECK(in.contains("/runs"));
  CHECK_FALSE(in.contains("/runs/missing"));
  CHECK_FALSE(in.contains("/nowhere/at/all"));
  CHECK(in.read_text("/provenance/definition") == "line one\nline two\n");
  CHECK(in.read_column<std::uint8_t>("/runs/completed") == std::vector<std::uint8_t>{1, 0, 1});
  CHECK(in.read_column<std::uint64_t>("/runs/completed") == std::vector<std::uint64_t>{1, 0, 1});  // converted
  CHECK(in.read_column<double>("/runs/empty").empty());

  auto message_of = [](auto&& read) {
    try {
      read();
    } catch (const std::runtime_error& error) {
      return std::string(error.what());
    }
    return std::string("no exception");
  };
  CHECK_THAT(message_of([&] { in.read_text("/runs/missing"); }),
             Catch::StartsWith(path.string() + ": opening dataset /runs/missing failed: "));
  CHECK(message_of([&] { in.read_text("/runs/completed"); }) ==
        path.string() + ": reading dataset /runs/completed failed: not a scalar string");
  CHECK(message_of([&] { in.read_column<double>("/provenance/definition"); }) ==
        path.string() + ": reading dataset /provenance/definition failed: not a 1-D dataset");

  // A missing file is the user's environment (InputError); a file that is no HDF5 file is named too.
  try {
    InputFile missing(dir.path() / "missing.h5");
    FAIL("no exception");
  } catch (const InputError& error) {
    CHECK(std::string(error.what()) ==
          (dir.path() / "missing.h5").string() + ": opening the file failed: No such file or directory");
  }
  const fs::path text = dir.path() / "text.h5";
  std::ofstream(text) << "not hdf5\n";
  CHECK_THAT(message_of([&] { InputFile other(text); }),
             Catch::StartsWith(text.string() + ": opening the file failed: "));
}

TEST_CASE("io: failures in place name the file and the object", "[io]") {
  TempDir dir;
  SECTION("a folder at the path") {
    const fs::path path = dir.path() / "folder.h5";
    fs::create_directories(path);
    try {
      OutputFile out(path, WriteMode::InPlace);
      FAIL("no exception");
    } catch (const InputError& error) {
      CHECK_THAT(error.what(), Catch::StartsWith(path.string() + ": cannot write the output file"));
    }
    CHECK(fs::is_directory(path));
  }
  SECTION("a disk filling up while rows are written") {
    if (!fs::exists("/dev/full") || !fs::exists("/proc/self/fd")) return;
    const fs::path path = dir.path() / "filling.h5";
    std::string message;
    FixedDataset table;
    {
      OutputFile out(path, WriteMode::InPlace);
      table = out.create_fixed<double>("/series/views", {8, 20000}, 0.0, "", "");
      out.start_swmr();
      REQUIRE(fill_disk_under(out.partial_path()));
      const std::vector<double> row(20000, 1.0);
      try {
        table.write_row(3, row);
        FAIL("no exception");
      } catch (const InputError& error) {
        message = error.what();
      }
      // Closing after the failure reports it without flushing again (HDF5 1.10 could not close the file then).
      CHECK_THROWS_WITH(out.commit(), path.string() + ": closing the output file failed: an earlier write failed");
    }  // the destructor discards what was not flushed and closes the file without crashing
    CHECK(message == path.string() + ": flushing /series/views failed: No space left on device");
    CHECK(fs::exists(path));  // in place: kept
  }
}

TEST_CASE("io: hdf5_version reports the library version", "[io]") {
  const std::string version = fanflow::io::hdf5_version();
  CHECK(version.rfind("1.", 0) == 0);
  CHECK(std::count(version.begin(), version.end(), '.') == 2);
}
