#include "strict_json.hpp"

#include <cstddef>
#include <optional>
#include <set>
#include <vector>

namespace spmc::sim {

namespace {

using Json = nlohmann::json;

// Follows the parse through the library's own parser callback (parse_event_t) and notes the
// first key an object repeats, with its path. Only the outer kTrackedDepth containers are
// followed: no scenario field nests that deep, so anything deeper is rejected by the schema
// anyway, and a file of a million '[' costs no more memory here than it does in the parser.
class DuplicateKeyFinder {
 public:
  static constexpr std::size_t kTrackedDepth = 64;

  bool on_event(Json::parse_event_t event, const Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (m_open < kTrackedDepth) {
          m_frames.push_back(Frame{event == Json::parse_event_t::array_start, 0, {}, {}});
        }
        ++m_open;
        break;
      case Json::parse_event_t::key:
        if (m_open <= kTrackedDepth && !m_frames.empty()) {
          note_key(parsed.get<std::string>());
        }
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        if (m_open <= kTrackedDepth && !m_frames.empty()) {
          m_frames.pop_back();
        }
        --m_open;
        count_element();
        break;
      case Json::parse_event_t::value:
        count_element();
        break;
    }
    return true;  // keep every value: this only watches
  }

  const std::optional<std::string>& duplicate() const { return m_duplicate; }

 private:
  struct Frame {
    bool array;
    std::size_t index;  // arrays: elements completed so far
    std::string key;    // objects: the key whose value is being read
    std::set<std::string> keys;
  };

  void note_key(std::string key) {
    Frame& top = m_frames.back();
    if (!top.keys.insert(key).second && !m_duplicate) {
      m_duplicate = path_of(key);
    }
    top.key = std::move(key);
  }

  void count_element() {
    if (m_open > 0 && m_open <= kTrackedDepth && !m_frames.empty() && m_frames.back().array) {
      ++m_frames.back().index;
    }
  }

  // "workload.groups.count", "adversaries[1]": the frames' keys and indices, then `key`.
  std::string path_of(const std::string& key) const {
    std::string path;
    for (std::size_t i = 0; i + 1 < m_frames.size(); ++i) {
      const Frame& f = m_frames[i];
      path += f.array ? "[" + std::to_string(f.index) + "]" : (path.empty() ? "" : ".") + f.key;
    }
    return path + (path.empty() ? "" : ".") + key;
  }

  std::vector<Frame> m_frames;
  std::size_t m_open = 0;  // containers open, followed or not
  std::optional<std::string> m_duplicate;
};

}  // namespace

Result<nlohmann::json> parse_strict_json(std::string_view text, const std::string& source) {
  const auto fail = [&source](const std::string& path, const std::string& reason) {
    return make_error(ErrorCode::kBadValue, source + ": " + path + ": " + reason);
  };
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    return fail("(root)", "NUL byte at byte " + std::to_string(nul + 1) +
                              " (JSON text has none; the rest would be ignored)");
  }
  DuplicateKeyFinder finder;
  Json document;
  try {
    document = Json::parse(text, [&finder](int, Json::parse_event_t event, Json& parsed) {
      return finder.on_event(event, parsed);
    });
  } catch (const Json::parse_error& e) {
    return fail("(root)", "invalid JSON at byte " + std::to_string(e.byte));
  } catch (const Json::out_of_range&) {
    // A number too large for a double (e.g. 1E400) is out_of_range, not parse_error.
    return fail("(root)", "number out of range");
  }
  if (finder.duplicate()) {
    return fail(*finder.duplicate(), "duplicate key (each field may appear once)");
  }
  return document;
}

}  // namespace spmc::sim
