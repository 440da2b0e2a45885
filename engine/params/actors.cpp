// Reading and checking `actors:`; messages name file:line:col and the entry, e.g.
// "s.yaml:4:13: actors.brands[0].budget: expected a number in [0, 1e+12], got 'lots'".
#include "params/actors.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>

#include "core/error.hpp"
#include "params/scenario.hpp"
#include "params/yaml_text.hpp"

namespace fanflow::params {
namespace {

[[noreturn]] void fail(const std::string& place, std::string_view path, std::string_view message) {
  throw InputError(std::string(place).append(": ").append(path).append(": ").append(message));
}

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

double read_real(const std::string& source, const YAML::Node& value, const std::string& path, double lo, double hi) {
  const std::string expected = "expected a number in [" + number_text(lo) + ", " + number_text(hi) + "], got ";
  if (!value.IsScalar()) fail(yaml_where(source, value.Mark()), path, expected + yaml_node_kind(value));
  const std::string& text = value.Scalar();
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || !(number >= lo && number <= hi))
    fail(yaml_where(source, value.Mark()), path, expected + "'" + text + "'");
  return number;
}

std::int64_t read_integer(const std::string& source, const YAML::Node& value, const std::string& path,
                          const char* what) {
  const std::string expected = std::string("expected ").append(what).append(" (an integer of at least 0), got ");
  if (!value.IsScalar()) fail(yaml_where(source, value.Mark()), path, expected + yaml_node_kind(value));
  const std::string& text = value.Scalar();
  std::int64_t number = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || number < 0)
    fail(yaml_where(source, value.Mark()), path, expected + "'" + text + "'");
  return number;
}

/// A name: letters, digits, '_', '-', '.', starting with a letter, at most 64 characters (it becomes part of
/// dataset names and table headers).
bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

NamedBrand read_brand(const std::string& source, const YAML::Node& node, const std::string& shown, std::uint32_t id) {
  static const std::vector<std::string> kKeys = {"name", "focal", "budget", "price", "type", "topic", "followers"};
  if (!node.IsMap())
    fail(yaml_where(source, node.Mark()), shown,
         "expected a mapping with 'name' and the brand's own traits, got " + yaml_node_kind(node));
  NamedBrand brand;
  brand.id = id;
  brand.where = yaml_where(source, node.Mark());
  std::set<std::string> seen;
  for (const auto& item : node) {
    const std::string key = item.first.IsScalar() ? item.first.Scalar() : "?";
    const std::string path = shown + "." + key;
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end())
      fail(yaml_where(source, item.first.Mark()), path, "unknown key" + did_you_mean(key, kKeys));
    if (!seen.insert(key).second) fail(yaml_where(source, item.first.Mark()), path, "duplicate key");
    const YAML::Node& value = item.second;
    const std::string where = yaml_where(source, (value.IsNull() ? item.first : value).Mark());
    if (value.IsNull()) fail(where, path, "expected a value, got nothing");
    if (key == "name") {
      if (!value.IsScalar() || !valid_name(value.Scalar()))
        fail(where, path,
             "expected a name (a letter, then letters, digits, '_', '-' or '.', at most 64 characters), got " +
                 (value.IsScalar() ? "'" + value.Scalar() + "'" : yaml_node_kind(value)));
      brand.name = value.Scalar();
    } else if (key == "focal") {
      if (!value.IsScalar() || (value.Scalar() != "true" && value.Scalar() != "false"))
        fail(where, path,
             "expected true or false, got " + (value.IsScalar() ? "'" + value.Scalar() + "'" : yaml_node_kind(value)));
      brand.focal = value.Scalar() == "true";
    } else if (key == "budget") {
      brand.budget = read_real(source, value, path, 0, 1e12);
      brand.budget_where = where;
    } else if (key == "price") {
      brand.price = read_real(source, value, path, 0, 1e9);
      brand.price_where = where;
    } else if (key == "type") {
      if (!value.IsScalar() || (value.Scalar() != "native" && value.Scalar() != "established"))
        fail(where, path,
             "expected one of: native|established, got " +
                 (value.IsScalar() ? "'" + value.Scalar() + "'" : yaml_node_kind(value)));
      brand.established = value.Scalar() == "established";
      brand.type_where = where;
    } else if (key == "topic") {
      brand.topic = read_integer(source, value, path, "a topic");
      brand.topic_where = where;
    } else {
      brand.followers = read_integer(source, value, path, "a number of followers");
      brand.followers_where = where;
    }
  }
  if (brand.name.empty()) fail(brand.where, shown, "missing 'name': what the scenario and the reports call the brand");
  return brand;
}

}  // namespace

const NamedBrand* Actors::find_brand(const std::string& name) const {
  for (const NamedBrand& brand : brands)
    if (brand.name == name) return &brand;
  return nullptr;
}

std::vector<std::string> Actors::brand_names() const {
  std::vector<std::string> names;
  for (const NamedBrand& brand : brands) names.push_back(brand.name);
  return names;
}

std::vector<const NamedBrand*> Actors::focal_brands() const {
  std::vector<const NamedBrand*> focal;
  for (const NamedBrand& brand : brands)
    if (brand.focal) focal.push_back(&brand);
  return focal;
}

Actors read_actors(const YAML::Node& node, const std::string& source) {
  Actors actors;
  if (node.IsNull()) return actors;
  if (!node.IsMap())
    fail(yaml_where(source, node.Mark()), "actors",
         "expected a mapping with 'brands' (a list of named brands), got " + yaml_node_kind(node));
  static const std::vector<std::string> kKeys = {"brands"};
  for (const auto& item : node) {
    const std::string key = item.first.IsScalar() ? item.first.Scalar() : "?";
    if (key != "brands")
      fail(yaml_where(source, item.first.Mark()), "actors." + key, "unknown key" + did_you_mean(key, kKeys));
    const YAML::Node& list = item.second;
    if (list.IsNull()) continue;
    if (!list.IsSequence())
      fail(yaml_where(source, list.Mark()), "actors.brands",
           "expected a list of brands, each with 'name', got " + yaml_node_kind(list));
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::string shown = "actors.brands[" + std::to_string(k) + "]";
      NamedBrand brand = read_brand(source, list[k], shown, static_cast<std::uint32_t>(k));
      if (const NamedBrand* other = actors.find_brand(brand.name))
        fail(yaml_where(source, list[k]["name"].Mark()), shown + ".name",
             "'" + brand.name + "' already names brand " + std::to_string(other->id) + "; names must differ");
      actors.brands.push_back(std::move(brand));
    }
  }
  return actors;
}

void resolve_actor_names(Scenario& scenario) {
  const std::vector<std::string> names = scenario.actors.brand_names();
  for (std::size_t i = 0; i < scenario.timeline.size(); ++i)
    for (TimelineEvent& event : scenario.timeline[i].event) {
      if (event.brand_name.empty()) continue;
      const NamedBrand* brand = scenario.actors.find_brand(event.brand_name);
      if (!brand) {
        std::string message = "no brand named '" + event.brand_name + "'";
        if (names.empty())
          message += "; name brands under 'actors: {brands: [...]}', or give a brand id";
        else {
          message += did_you_mean(event.brand_name, names) + " (named brands:";
          for (const std::string& name : names) message += " " + name;
          message += ")";
        }
        fail(event.brand_where, "timeline[" + std::to_string(i) + "].event.brand", message);
      }
      event.brand = brand->id;
    }
}

void check_actors(const Scenario& scenario) {
  const Params& p = scenario.params;
  for (const NamedBrand& brand : scenario.actors.brands) {
    const std::string shown = "actors.brands[" + std::to_string(brand.id) + "]";
    if (brand.id >= p.population.brands)
      fail(brand.where, shown,
           std::to_string(scenario.actors.brands.size()) + " brands are named but population.brands is " +
               std::to_string(p.population.brands) + "; name at most that many");
    if (brand.topic && *brand.topic >= p.population.topics)
      fail(brand.topic_where, shown + ".topic",
           "expected a topic in [0, " + std::to_string(p.population.topics - 1) + "] (population.topics is " +
               std::to_string(p.population.topics) + "), got " + std::to_string(*brand.topic));
    if (brand.price && p.sicas.price <= 0)
      fail(brand.price_where, shown + ".price",
           "a brand's own price needs sicas.price above 0 (its price scale is price / sicas.price)");
    if (brand.followers) {
      if (!p.brands.own_accounts)
        fail(brand.followers_where, shown + ".followers",
             "a brand's followers are its own account's, and brands.own_accounts is false");
      if (*brand.followers > p.population.users)
        fail(brand.followers_where, shown + ".followers",
             "expected at most population.users (" + std::to_string(p.population.users) + "), got " +
                 std::to_string(*brand.followers));
    }
  }
}

std::string actors_yaml(const Actors& actors) {
  if (actors.empty()) return "";
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "actors" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "brands" << YAML::Value << YAML::BeginSeq;
  for (const NamedBrand& brand : actors.brands) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << brand.name;
    if (brand.focal) out << YAML::Key << "focal" << YAML::Value << true;
    if (brand.budget) out << YAML::Key << "budget" << YAML::Value << real_text(*brand.budget);
    if (brand.price) out << YAML::Key << "price" << YAML::Value << real_text(*brand.price);
    if (brand.established)
      out << YAML::Key << "type" << YAML::Value << YAML::DoubleQuoted
          << (*brand.established ? "established" : "native");
    if (brand.topic) out << YAML::Key << "topic" << YAML::Value << *brand.topic;
    if (brand.followers) out << YAML::Key << "followers" << YAML::Value << *brand.followers;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
  return std::string(out.c_str()).append("\n");
}

}  // namespace fanflow::params
