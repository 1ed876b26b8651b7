#pragma once
// Every file the command line writes goes through an OutputSet, so a failed write can never
// pass for success or damage what was there: each output is streamed into a temporary file
// next to its target (same directory, so the final rename is atomic), every write and the
// close are checked, and only when all outputs of the command succeeded are they renamed over
// their targets. On any failure every temporary is removed and every old file is left
// byte for byte as it was. A target that exists and is not a regular file (/dev/null,
// /dev/full, a pipe) is written in place: there is nothing to rename over.
#include <cstdio>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace spmc::cli {

// Why an output failed: the path as the user gave it and the system's reason (strerror).
struct OutputError {
  std::string path;
  std::string reason;
};

// "spmc: error: <path>: <reason>" on stderr.
void print_output_error(const OutputError& error);

class OutputSet {
 public:
  OutputSet();
  ~OutputSet();  // removes every temporary not yet committed
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // Opens the temporary for `path` and returns a stream writing into it, or nullptr (the
  // error is kept for commit()). Opening early lets a command refuse a bad path before it
  // spends minutes producing the contents.
  std::ostream* open(const std::string& path);
  // Streams the whole `contents` into the temporary for `path`.
  void write(const std::string& path, std::string_view contents);
  // For an output that is being written to a temporary: flushes it and returns the
  // temporary's name, so the command can read back what it wrote before committing (the
  // report page charts its own trace). Nothing for an output written in place (a device or
  // a pipe cannot be read back) or one that failed.
  std::optional<std::string> written_so_far(const std::string& path);
  // The first error so far (open or write), if any.
  std::optional<OutputError> error() const;
  // Flushes and closes every output; if all succeeded, renames each over its target.
  // Otherwise removes every temporary and returns the first error.
  std::optional<OutputError> commit();

 private:
  struct Output;
  static int open_output(Output& o);  // 0 or the errno
  std::vector<std::unique_ptr<Output>> m_outputs;
};

// Called first in main(): when stdout is not a terminal it gets a buffer large enough for any
// report, so its bytes leave at flush_stdout() / finish_stdout(), where the reason of a failed
// write is kept (a write failing inside printf leaves only the stream's error flag).
void buffer_stdout();

// Flushes stdout now (a report before the line that follows it on stderr), keeping the reason
// of a failure for finish_stdout(): the stream's error flag stays, errno does not.
void flush_stdout();

// Flushes stdout and reports a write error on it (a full disk, a closed pipe), so that
// `spmc sim > /dev/full` cannot exit 0. Returns the error, or nothing.
std::optional<OutputError> finish_stdout();

}  // namespace spmc::cli
