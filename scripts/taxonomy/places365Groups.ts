// Places365 classes a photo does not tell apart, whose probabilities the scene model spreads thin:
// on a street photo it says crosswalk 50 %, plaza 9 %, downtown 7 %, street 6 %. Each group's summed
// probability is evidence for one label (see src/detection/classGroups.ts); the taxonomy's own
// hierarchy already sums a label's subtree (farm = pasture + corral + orchard + ...), so a group is
// only needed where near-synonyms sit apart in it, or where a scene should also count for a
// sibling. Members are class names as the model lists them; reviewed one by one.

export interface Places365Group {
  id: string;
  /** The label the summed probability is evidence for. */
  labelId: string;
  members: string[];
  /** false: the pack's calibration leaves the sum as it is (see src/detection/classGroups.ts). */
  calibrated?: false;
}

export const PLACES365_GROUPS: Places365Group[] = [
  // A street photo comes out as any of these (ADE20K's street photos: crosswalk, alley, street).
  { id: 'street', labelId: 'street', members: ['street', 'crosswalk', 'alley', 'downtown'] },
  // A soccer pitch, in a stadium or not; Places365's American football field looks the same.
  { id: 'soccer-field', labelId: 'soccer-field', members: ['soccer_field', 'stadium/soccer', 'football_field'] },
  // A ship's galley and a wet bar are kitchens to anyone looking.
  { id: 'kitchen', labelId: 'kitchen', members: ['kitchen', 'galley', 'wet_bar'] },
  // The sea seen from land: a beach photo comes out as beach, lagoon, ocean and coast.
  { id: 'coast', labelId: 'coast', members: ['coast', 'beach', 'ocean', 'lagoon'] },
  // Grazing land with animals on it: pasture, corral and hayfield split one photo.
  { id: 'pasture', labelId: 'pasture', members: ['pasture', 'corral', 'hayfield', 'field/wild'] },
  // Mountain photos split over the peak, the path up it, the snow on it and the valley below.
  { id: 'mountain', labelId: 'mountain', members: ['mountain', 'mountain_snowy', 'mountain_path', 'valley'] },
  // Woods, whether the photo shows a path or a road through them.
  { id: 'forest', labelId: 'forest', members: ['forest/broadleaf', 'forest_path', 'forest_road', 'rainforest', 'bamboo_forest'] },
  // A room of people at tables facing a speaker.
  { id: 'conference-room', labelId: 'conference-room', members: ['conference_room', 'conference_center', 'legislative_chamber'] },
  { id: 'office', labelId: 'office', members: ['office', 'office_cubicles', 'home_office', 'computer_room'] },
  { id: 'living-room', labelId: 'living-room', members: ['living_room', 'television_room', 'home_theater'] },
  { id: 'bathroom', labelId: 'bathroom', members: ['bathroom', 'shower', 'jacuzzi/indoor'] },
  { id: 'river', labelId: 'river', members: ['river', 'creek', 'canal/natural'] },
  // A city centre of tall buildings.
  { id: 'downtown', labelId: 'downtown', members: ['downtown', 'skyscraper', 'office_building'] },
];

/**
 * IO_places365.txt's indoor/outdoor split as two groups: the photo is indoors, or it is not. Their
 * sums are a plain probability (the two add up to 1), so no calibration lifts them: a photo the
 * model cannot place is neither at the default thresholds, rather than both.
 */
export function indoorOutdoorGroups(scenes: { name: string; indoor: boolean }[]): Places365Group[] {
  return [
    { id: 'indoor', labelId: 'indoor-scene', members: scenes.filter((s) => s.indoor).map((s) => s.name), calibrated: false },
    { id: 'outdoor', labelId: 'outdoor-scene', members: scenes.filter((s) => !s.indoor).map((s) => s.name), calibrated: false },
  ];
}
