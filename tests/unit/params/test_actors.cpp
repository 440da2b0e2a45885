// Tests of named actors (`actors:`, params/actors.hpp): reading, every message naming file:line:col, the checks
// against the scenario's parameters, names in timeline events resolved to ids, and the resolved YAML.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "params/scenario.hpp"
#include "support/scenario.hpp"

using namespace fanflow;
using namespace fanflow::params;

namespace {

std::string error_of(const std::string& yaml) { return testing::scenario_error(yaml); }

Scenario checked(const std::string& yaml) { return testing::make_scenario(yaml, ""); }

const std::string kWorld = "population: {users: 500, creators: 20, brands: 4, topics: 6}\n";

}  // namespace

TEST_CASE("actors: named brands get ids in order, their traits and the focal mark", "[actors]") {
  const Scenario s = checked(kWorld +
                             "actors:\n"
                             "  brands:\n"
                             "    - {name: Acme, focal: true, budget: 250, price: 30, type: established, topic: 2,"
                             " followers: 40}\n"
                             "    - name: Rival\n");
  REQUIRE(s.actors.brands.size() == 2);
  const NamedBrand& acme = s.actors.brands[0];
  CHECK(acme.id == 0);
  CHECK(acme.focal);
  CHECK(*acme.budget == 250);
  CHECK(*acme.price == 30);
  CHECK(*acme.established);
  CHECK(*acme.topic == 2);
  CHECK(*acme.followers == 40);
  const NamedBrand& rival = s.actors.brands[1];
  CHECK(rival.id == 1);
  CHECK_FALSE(rival.focal);
  CHECK_FALSE(rival.budget.has_value());
  CHECK_FALSE(rival.established.has_value());
  REQUIRE(s.actors.focal_brands().size() == 1);
  CHECK(s.actors.focal_brands()[0]->name == "Acme");
  CHECK(s.actors.find_brand("Rival") == &rival);
  CHECK(s.actors.find_brand("Nobody") == nullptr);
}

TEST_CASE("actors: bad entries get one line naming the place and what is expected", "[actors]") {
  CHECK(error_of(kWorld + "actors: {brands: [{name: Acme, budjet: 3}]}\n") ==
        "test.yaml:2:32: actors.brands[0].budjet: unknown key; did you mean 'budget'?");
  CHECK(error_of(kWorld + "actors: {brands: [{focal: true}]}\n").find("actors.brands[0]: missing 'name'") !=
        std::string::npos);
  CHECK(error_of(kWorld + "actors: {brands: [{name: 9lives}]}\n").find("expected a name") != std::string::npos);
  CHECK(error_of(kWorld + "actors: {brands: [{name: A}, {name: A}]}\n")
            .find("'A' already names brand 0; names must differ") != std::string::npos);
  CHECK(error_of(kWorld + "actors: {brands: [{name: A, type: big}]}\n")
            .find("expected one of: native|established, got 'big'") != std::string::npos);
  CHECK(
      error_of(kWorld + "actors: {brands: [{name: A, focal: maybe}]}\n").find("expected true or false, got 'maybe'") !=
      std::string::npos);
  CHECK(error_of(kWorld + "actors: {brands: [{name: A, budget: -1}]}\n").find("actors.brands[0].budget") !=
        std::string::npos);
  CHECK(error_of(kWorld + "actors: [Acme]\n").find("expected a mapping with 'brands'") != std::string::npos);
}

TEST_CASE("actors: checked against the world: how many brands, topics, users, own accounts", "[actors]") {
  CHECK(error_of("population: {brands: 1}\nactors: {brands: [{name: A}, {name: B}]}\n")
            .find("2 brands are named but population.brands is 1") != std::string::npos);
  CHECK(error_of(kWorld + "actors: {brands: [{name: A, topic: 6}]}\n")
            .find("actors.brands[0].topic: expected a topic in [0, 5] (population.topics is 6), got 6") !=
        std::string::npos);
  CHECK(error_of(kWorld + "actors: {brands: [{name: A, followers: 501}]}\n")
            .find("expected at most population.users (500), got 501") != std::string::npos);
  CHECK(error_of(kWorld + "brands: {own_accounts: false}\nactors: {brands: [{name: A, followers: 5}]}\n")
            .find("brands.own_accounts is false") != std::string::npos);
}

TEST_CASE("actors: events name brands by name, resolved to ids, with did-you-mean", "[actors]") {
  const Scenario s = checked(kWorld +
                             "actors: {brands: [{name: Acme}, {name: Beta}]}\n"
                             "timeline:\n"
                             "  - at: 3\n"
                             "    event: {kind: shift, brand: Beta, from: ads, to: live, fraction: 0.25}\n");
  REQUIRE(s.timeline.size() == 1);
  CHECK(s.timeline[0].event[0].brand == 1);
  const std::string typo = error_of(kWorld +
                                    "actors: {brands: [{name: Acme}]}\n"
                                    "timeline:\n"
                                    "  - at: 3\n"
                                    "    event: {kind: scale_budget, brand: Acne, factor: 2}\n");
  CHECK(typo.find("test.yaml:5:") == 0);
  CHECK(typo.find("no brand named 'Acne'; did you mean 'Acme'?") != std::string::npos);
  CHECK(error_of(kWorld + "timeline:\n  - at: 3\n    event: {kind: scale_budget, brand: Acme, factor: 2}\n")
            .find("name brands under 'actors: {brands: [...]}'") != std::string::npos);
}

TEST_CASE("actors: the resolved YAML reads back to the same actors", "[actors]") {
  const Scenario s = checked(kWorld +
                             "actors:\n"
                             "  brands:\n"
                             "    - {name: Acme, focal: true, budget: 123.456, type: native, followers: 7}\n"
                             "    - {name: Beta, price: 12.5, topic: 1}\n");
  const std::string yaml = to_yaml(s);
  const Scenario again = checked(yaml);
  CHECK(to_yaml(again) == yaml);
  REQUIRE(again.actors.brands.size() == 2);
  CHECK(*again.actors.brands[0].budget == 123.456);
  CHECK_FALSE(*again.actors.brands[0].established);
  CHECK(*again.actors.brands[1].price == 12.5);
  CHECK(again.actors.brands[0].focal);
}
