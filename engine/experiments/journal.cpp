// Journal records: [run u64][ticks u32][threads i32][wall f64][series f64 x metrics x max_ticks][summary f64 x n]
// then, in a comparison's, [focal f64 x brands x focal metrics][focal series f64 x brands x series x max_ticks],
// then [crc32 u32]; after a header naming the format and holding the definition text.
#include "experiments/journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/crc.hpp>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "core/error.hpp"
#include "io/output_schema.hpp"

namespace fanflow::experiments {
namespace {

const char* noun(JournalOf of) { return of == JournalOf::Sweep ? "sweep" : "comparison"; }

/// What a changed definition means, for the message refusing it.
const char* definition_parts(JournalOf of) {
  return of == JournalOf::Sweep ? "design, factors, seeds, base scenario or fanflow version changed"
                                : "replicates, seed, either scenario or fanflow version changed";
}

std::uint32_t crc32(const char* data, std::size_t size) {
  boost::crc_32_type crc;
  crc.process_bytes(data, size);
  return crc.checksum();
}

void write_all(int fd, const std::string& bytes, const std::filesystem::path& path, JournalOf of) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputError(path.string() + ": cannot write the " + noun(of) + " journal: " + std::strerror(errno));
    written += static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd) != 0)
    throw InputError(path.string() + ": cannot sync the " + std::string(noun(of)) +
                     " journal: " + std::strerror(errno));
}

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
T get(const char*& in) {
  T value;
  std::memcpy(&value, in, sizeof value);
  in += sizeof value;
  return value;
}

std::string header_bytes(const std::string& definition_text, std::uint32_t max_ticks, JournalOf of,
                         std::uint32_t focal_brands) {
  std::string header = std::string("fanflow ") + noun(of) + " journal 1\n";
  put<std::uint64_t>(header, definition_text.size());
  header += definition_text;
  put<std::uint32_t>(header, max_ticks);
  put<std::uint32_t>(header, static_cast<std::uint32_t>(series_metrics().size()));
  put<std::uint32_t>(header, static_cast<std::uint32_t>(summary_metrics().size()));
  if (of == JournalOf::Comparison || focal_brands > 0) {
    put<std::uint32_t>(header, focal_brands);
    put<std::uint32_t>(header, static_cast<std::uint32_t>(io::focal_brand_metrics().size()));
    put<std::uint32_t>(header, static_cast<std::uint32_t>(io::focal_brand_series().size()));
  }
  return header;
}

}  // namespace

Journal::Journal(std::filesystem::path path, const std::filesystem::path& output, const std::string& definition_text,
                 std::uint32_t max_ticks, JournalOf of, std::uint32_t focal_brands)
    : path_(std::move(path)), max_ticks_(max_ticks), of_(of), focal_brands_(focal_brands) {
  // A sweep keeps the focal brands' summaries; a comparison their series too.
  const std::size_t focal_values =
      std::size_t(focal_brands) * (io::focal_brand_metrics().size() +
                                   (of == JournalOf::Comparison ? io::focal_brand_series().size() * max_ticks : 0));
  record_bytes_ =
      8 + 4 + 4 + 8 + 8 * (series_metrics().size() * max_ticks + summary_metrics().size()) + 8 * focal_values + 4;
  const std::string header = header_bytes(definition_text, max_ticks, of, focal_brands);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(path_.string() + ": cannot open the " + noun(of) + " journal: " + std::strerror(errno));
  struct stat info {};
  ::fstat(fd_, &info);
  std::string content(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t got = 0;
  while (got < content.size()) {
    const ssize_t n = ::pread(fd_, content.data() + got, content.size() - got, static_cast<off_t>(got));
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  content.resize(got);
  if (content.size() < header.size()) {
    // New (or cut short before its header was synced: nothing recorded yet): write the header.
    if (content.size() > 0 && header.compare(0, content.size(), content) != 0) {
      ::close(fd_);
      throw InputError(output.string() + ": its journal " + path_.string() + " belongs to a different " + noun(of) +
                       " definition; write to another -o, or delete both files");
    }
    if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0)
      throw InputError(path_.string() + ": cannot reset the " + noun(of) + " journal");
    write_all(fd_, header, path_, of);
    return;
  }
  if (content.compare(0, header.size(), header) != 0) {
    ::close(fd_);
    throw InputError(output.string() + ": was started with a different " + noun(of) + " definition (" +
                     definition_parts(of) + "); write to another -o, or delete it and its .journal to start again");
  }
  std::size_t offset = header.size();
  const std::size_t series_count = series_metrics().size(), summary_count = summary_metrics().size();
  for (; offset + record_bytes_ <= content.size(); offset += record_bytes_) {
    const char* record = content.data() + offset;
    const char* in = record;
    if (crc32(record, record_bytes_ - 4) != [&] {
          const char* tail = record + record_bytes_ - 4;
          return get<std::uint32_t>(tail);
        }())
      break;  // a torn record: everything from here on is dropped
    RunMetrics metrics;
    const auto run = get<std::uint64_t>(in);
    metrics.ticks = max_ticks_;
    const auto ticks = get<std::uint32_t>(in);
    metrics.threads = get<std::int32_t>(in);
    metrics.wall_seconds = get<double>(in);
    metrics.series.resize(series_count * max_ticks_);
    for (double& v : metrics.series) v = get<double>(in);
    metrics.summary.resize(summary_count);
    for (double& v : metrics.summary) v = get<double>(in);
    metrics.focal.resize(std::size_t(focal_brands_) * io::focal_brand_metrics().size());
    for (double& v : metrics.focal) v = get<double>(in);
    if (of_ == JournalOf::Comparison) {
      metrics.focal_series.resize(std::size_t(focal_brands_) * io::focal_brand_series().size() * max_ticks_);
      for (double& v : metrics.focal_series) v = get<double>(in);
    }
    (void)ticks;
    completed_[run] = std::move(metrics);
  }
  if (offset != content.size() && ::ftruncate(fd_, static_cast<off_t>(offset)) != 0)
    throw InputError(path_.string() + ": cannot cut the torn end of the " + noun(of) + " journal");
  ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET);
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(std::uint64_t run, const RunMetrics& metrics) {
  std::string record;
  record.reserve(record_bytes_);
  put<std::uint64_t>(record, run);
  put<std::uint32_t>(record, metrics.ticks);
  put<std::int32_t>(record, metrics.threads);
  put<double>(record, metrics.wall_seconds);
  const double pad = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t m = 0; m < series_metrics().size(); ++m)
    for (std::uint32_t t = 0; t < max_ticks_; ++t)
      put<double>(record, t < metrics.ticks ? metrics.series_value(m, t) : pad);
  for (double v : metrics.summary) put<double>(record, v);
  if (metrics.focal.size() != std::size_t(focal_brands_) * io::focal_brand_metrics().size())
    throw std::logic_error("journal: a run's focal figures do not match the journal's record shape");
  for (double v : metrics.focal) put<double>(record, v);
  if (of_ == JournalOf::Comparison) {
    // A comparison's runs all last max_ticks (both scenarios have the same horizon), so focal series fill it.
    if (metrics.focal_series.size() != std::size_t(focal_brands_) * io::focal_brand_series().size() * max_ticks_)
      throw std::logic_error("journal: a run's focal series do not match the journal's record shape");
    for (double v : metrics.focal_series) put<double>(record, v);
  }
  put<std::uint32_t>(record, crc32(record.data(), record.size()));
  write_all(fd_, record, path_, of_);
}

void Journal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

}  // namespace fanflow::experiments
