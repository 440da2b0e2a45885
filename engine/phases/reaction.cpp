// The reaction model: view, like, share and follow probabilities of one exposure (see reaction.hpp).
#include "phases/reaction.hpp"

#include <algorithm>

namespace fanflow::phases {

double ReactionModel::view_probability(const Exposure& x) const {
  return std::clamp(e_.view_base + e_.view_quality_weight * (x.quality - 0.5) +
                        e_.view_packaging_weight * (x.packaging - 0.5) + e_.view_interest_weight * (x.match - 0.5),
                    0.0, 1.0);
}

double ReactionModel::like_probability(double appeal) const { return std::min(1.0, e_.like_rate * appeal); }
double ReactionModel::share_probability(double appeal) const { return std::min(1.0, e_.share_rate * appeal); }
double ReactionModel::follow_probability(double appeal) const { return std::min(1.0, e_.follow_rate * appeal); }

Reaction ReactionModel::item(const Exposure& x, const ReactionDraws& u) const {
  if (u.view >= view_probability(x)) return {};
  const double a = appeal(x);
  return {true, u.like < like_probability(a), u.share < share_probability(a), u.follow < follow_probability(a)};
}

Reaction ReactionModel::ad(const Exposure& x, const ReactionDraws& u) const {
  if (u.view >= view_probability(x)) return {};
  // like_probability(appeal(x)), multiplied from the rate on as ads always have been (rounding may differ from
  // an item's in the last bit, so ads' outcomes stay what they were).
  return {true, u.like < std::min(1.0, e_.like_rate * (0.5 + x.quality) * (0.5 + x.match)), false, false};
}

Reaction ReactionModel::live(const Exposure& x, double u_like, double u_follow) const {
  const double a = appeal(x);
  return {true, u_like < like_probability(a), false, u_follow < follow_probability(a)};
}

}  // namespace fanflow::phases
