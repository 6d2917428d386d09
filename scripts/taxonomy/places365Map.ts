import type { TaxonomyLabel } from '../../src/taxonomy/labelTypes';
import type { ClassMapEntry } from './modelMaps';
import { indoorOutdoorGroups, Places365Group, PLACES365_GROUPS } from './places365Groups';
import { PLACES365_MATCHES } from './sceneLayout';
import type { PlacesScene } from './sources';

/** A Places365 class as the model names it: the path without its letter folder ("/a/arena/hockey" → "arena/hockey"). */
export const places365ClassName = (scene: PlacesScene) => scene.path.split('/').slice(2).join('/');

/**
 * Places365 class → the label holding the scene (every class has exactly one: the build gives each
 * scene a label), and the class groups, checked against the classes and the labels.
 */
export function places365Map(scenes: PlacesScene[], labels: TaxonomyLabel[]): { classes: ClassMapEntry[]; groups: Places365Group[] } {
  const holders = new Map<string, string[]>();
  for (const label of labels)
    for (const path of label.sources?.places365 ?? []) holders.set(path, [...(holders.get(path) ?? []), label.id]);
  const classes = scenes.map((scene, index) => {
    const held = holders.get(scene.path) ?? [];
    if (held.length !== 1)
      throw new Error(`Places365 ${scene.path} is held by ${held.length ? held.join(', ') : 'no label'}; it needs exactly one`);
    return { index, name: places365ClassName(scene), labelId: held[0], via: PLACES365_MATCHES[scene.path] ? 'match' : 'name' };
  });

  const names = new Set(classes.map((c) => c.name));
  const ids = new Set(labels.map((l) => l.id));
  const groups = [
    ...PLACES365_GROUPS,
    ...indoorOutdoorGroups(scenes.map((scene) => ({ name: places365ClassName(scene), indoor: scene.indoor }))),
  ];
  for (const group of groups) {
    if (!ids.has(group.labelId)) throw new Error(`Places365 group ${group.id}: no label ${group.labelId}`);
    const unknown = group.members.filter((name) => !names.has(name));
    if (unknown.length) throw new Error(`Places365 group ${group.id} names classes Places365 lacks: ${unknown.join(', ')}`);
    if (new Set(group.members).size !== group.members.length) throw new Error(`Places365 group ${group.id} names a class twice`);
  }
  return { classes, groups };
}
