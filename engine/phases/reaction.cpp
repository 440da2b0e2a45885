// The reaction model: view, like, share and follow probabilities of one exposure (see reaction.hpp).
#include "phases/reaction.hpp"

#include <algorithm>
#include <cmath>

namespace fanflow::phases {

double ReactionModel::view_probability(const Exposure& x) const {
  return std::clamp(e_.view_base + e_.view_quality_weight * (x.quality - 0.5) +
                        e_.view_packaging_weight * (x.packaging - 0.5) + e_.view_interest_weight * (x.match - 0.5),
                    0.0, 1.0);
}

double ReactionModel::like_probability(double appeal) const { return std::min(1.0, e_.like_rate * appeal); }
double ReactionModel::share_probability(double appeal) const { return std::min(1.0, e_.share_rate * appeal); }
double ReactionModel::follow_probability(double appeal) const { return std::min(1.0, e_.follow_rate * appeal); }

double ReactionModel::audience_distance(double followers) const {
  if (e_.follower_like_exponent == 0) return 1.0;
  return std::pow(1.0 + followers / e_.follower_like_reference, -e_.follower_like_exponent);
}

Reaction ReactionModel::item(const Exposure& x, const ReactionDraws& u) const {
  if (u.view >= view_probability(x)) return {};
  return viewed_item(x, u);
}

Reaction ReactionModel::viewed_item(const Exposure& x, const ReactionDraws& u) const {
  const double a = appeal(x);
  // like_probability(a) * like_scale, multiplied inside the min so that a scale of 1 leaves it bit for bit.
  const double like = x.like_scale == 1.0 ? like_probability(a) : std::min(1.0, e_.like_rate * a * x.like_scale);
  return {true, u.like < like, u.share < share_probability(a), u.follow < follow_probability(a)};
}

Reaction ReactionModel::ad(const Exposure& x, const ReactionDraws& u) const {
  if (u.view >= view_probability(x)) return {};
  // like_probability(appeal(x)), multiplied from the rate on as ads always have been (rounding may differ from
  // an item's in the last bit, so ads' outcomes stay what they were).
  return {true, u.like < std::min(1.0, e_.like_rate * (0.5 + x.quality) * (0.5 + x.match)), false, false};
}

Reaction ReactionModel::live(const Exposure& x, double u_like, double u_follow) const {
  const double a = appeal(x);
  const double like = x.like_scale == 1.0 ? like_probability(a) : std::min(1.0, e_.like_rate * a * x.like_scale);
  return {true, u_like < like, false, u_follow < follow_probability(a)};
}

}  // namespace fanflow::phases
