// The reaction model (docs/model.md, "Reactions"): how a user reacts to what one feed slot shows them (an item, an
// ad or a live session): the view, like, share and follow probabilities, from the exposure's quality, its creator's
// packaging and the user's interest match. Every channel decides its reactions here: feed items and live sessions
// in consume.cpp, ads in brands/ads.cpp; what a reaction then counts or starts stays with the channel.
#pragma once

#include "params/params.hpp"
#include "rng/stream.hpp"

namespace fanflow::phases {

/// Packaging of an exposure without a creator (an ad): neutral, it adds nothing to the view probability.
inline constexpr double kNeutralPackaging = 0.5;

/// What the user is shown, as the reaction model sees it.
struct Exposure {
  double quality;    ///< the item's quality, the live host's skill, or brands.ad_quality for an ad
  double packaging;  ///< the creator's packaging; kNeutralPackaging without a creator
  double match;      ///< the user's interest match with the exposure's topic
  /// Multiplier of the like probability from the viewer's distance to the creator (audience_distance()); 1 for
  /// a viewer who does not follow the creator, an ad, or with the distance off.
  double like_scale = 1.0;
};

/// The uniforms behind one exposure's reactions.
struct ReactionDraws {
  double view, like, share, follow;
  /// Four uniforms of `stream` in this order (one Philox block), drawn whatever happens, so that the outcomes
  /// of one exposure do not shift the stream's later draws.
  static ReactionDraws draw(rng::Stream& stream) {
    ReactionDraws u;
    u.view = stream.uniform();
    u.like = stream.uniform();
    u.share = stream.uniform();
    u.follow = stream.uniform();
    return u;
  }
};

/// What the user does. Like, share and follow happen only after a view; `follows` says the user would follow
/// the exposure's creator (the channel acts on it only where the user does not follow it yet).
struct Reaction {
  bool viewed = false;
  bool liked = false;
  bool shared = false;
  bool follows = false;
};

/// The engagement rules (params.engagement) applied to one exposure.
class ReactionModel {
 public:
  explicit ReactionModel(const params::Params::engagement_section& engagement) : e_(engagement) {}

  /// p_view = clamp(view_base + w_q (q - 0.5) + w_p (packaging - 0.5) + w_m (match - 0.5), 0, 1).
  double view_probability(const Exposure& x) const;
  /// appeal = (0.5 + q) (0.5 + match); like, share and follow probabilities are min(1, rate * appeal).
  static double appeal(const Exposure& x) { return (0.5 + x.quality) * (0.5 + x.match); }
  double like_probability(double appeal) const;
  double share_probability(double appeal) const;
  double follow_probability(double appeal) const;

  /// Audience distance of a follower of a creator with `followers` followers: (1 + F / F_0)^-epsilon with
  /// epsilon = engagement.follower_like_exponent and F_0 = engagement.follower_like_reference; 1 when epsilon is 0.
  double audience_distance(double followers) const;
  /// A feed item: a view with view_probability; once viewed, like (times x.like_scale), share and follow with
  /// their probabilities.
  Reaction item(const Exposure& x, const ReactionDraws& u) const;
  /// item() for an exposure already known to be viewed (u.view below view_probability(x)).
  Reaction viewed_item(const Exposure& x, const ReactionDraws& u) const;
  /// An ad: viewed and liked as an item; never shared or followed (an ad has no item and no creator). u.share and
  /// u.follow are drawn but unused.
  Reaction ad(const Exposure& x, const ReactionDraws& u) const;
  /// A live session: joining it is viewing it; liked and followed as an item, not shared.
  Reaction live(const Exposure& x, double u_like, double u_follow) const;

 private:
  const params::Params::engagement_section& e_;
};

}  // namespace fanflow::phases
