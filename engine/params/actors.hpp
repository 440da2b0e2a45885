// Named actors of a scenario (`actors:`): brands given a name, and optionally their own daily budget, price, kind,
// topic and own account's starting followers; one or more marked focal, the ones a study is about. Named brand k
// is brand id k; the others keep their numbers and their drawn traits. Timeline events name brands by name or id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace YAML {
class Node;
}

namespace fanflow::params {

struct Scenario;

/// One named brand: brand id `id` (its position in `actors.brands`). Traits left out are drawn as for any brand.
struct NamedBrand {
  std::string name;
  std::uint32_t id = 0;
  bool focal = false;                     ///< a brand the study is about: comparisons report it on its own
  std::optional<double> budget;           ///< money/day, instead of brands.budget_mean times its drawn scale
  std::optional<double> price;            ///< money/purchase at sicas.price (its price scale is price / sicas.price)
  std::optional<bool> established;        ///< type: established (true) or native (false), instead of the draw
  std::optional<std::int64_t> topic;      ///< its product category, instead of the draw
  std::optional<std::int64_t> followers;  ///< its own account's starting followers (distinct users, uniformly)
  std::string where;                      ///< "file:line:col" of the entry
  std::string budget_where, price_where, topic_where, followers_where, type_where;
};

/// The scenario's named actors.
struct Actors {
  std::vector<NamedBrand> brands;

  bool empty() const { return brands.empty(); }
  /// The named brand with this name, or nullptr.
  const NamedBrand* find_brand(const std::string& name) const;
  /// Names of the named brands, in id order (for messages).
  std::vector<std::string> brand_names() const;
  /// Focal brands, in id order.
  std::vector<const NamedBrand*> focal_brands() const;
};

/// Reads the `actors:` node ({brands: [{name, focal, budget, price, type, topic, followers}, ...]}); null means none.
/// Throws InputError "file:line:col: actors.brands[i].key: message".
Actors read_actors(const YAML::Node& node, const std::string& source);

/// Resolves the brand names the timeline's events give to ids ("no brand named ..." with "did you mean").
/// Throws InputError.
void resolve_actor_names(Scenario& scenario);

/// Checks the actors against the scenario's parameters (population.brands, population.topics, population.users,
/// brands.own_accounts, sicas.price), as check_consistency() does after --set. Throws InputError.
void check_actors(const Scenario& scenario);

/// The actors as YAML (`actors:` and its list), or "" when there are none: part of the resolved scenario.
std::string actors_yaml(const Actors& actors);

}  // namespace fanflow::params
