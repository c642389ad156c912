//! A map that holds at most a fixed number of entries, with no scan on any call: the
//! per-address and per-account counters that strangers can make new keys in.
//!
//! It keeps two generations. New and touched keys go into the current one; when it is
//! full, it becomes the previous one and the one before is dropped whole. An entry not
//! touched for a whole generation is forgotten, which for a counter means starting again
//! from nothing: a flood of new keys can make old ones forgotten, never the memory grow.

use std::{collections::HashMap, hash::Hash};

pub struct BoundedMap<K, V> {
    current: HashMap<K, V>,
    previous: HashMap<K, V>,
    /// Entries per generation: the map holds at most twice this.
    generation: usize,
}

impl<K: Eq + Hash, V> BoundedMap<K, V> {
    pub fn new(generation: usize) -> BoundedMap<K, V> {
        BoundedMap {
            current: HashMap::new(),
            previous: HashMap::new(),
            generation: generation.max(1),
        }
    }

    /// The entry for `key`, made by `fresh` if the map has none.
    pub fn entry(&mut self, key: K, fresh: impl FnOnce() -> V) -> &mut V {
        if !self.current.contains_key(&key) {
            let kept = self.previous.remove(&key);
            if self.current.len() >= self.generation {
                self.previous = std::mem::take(&mut self.current);
            }
            return self
                .current
                .entry(key)
                .or_insert(kept.unwrap_or_else(fresh));
        }
        self.current.entry(key).or_insert_with(fresh)
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.current.get(key).or_else(|| self.previous.get(key))
    }

    pub fn remove(&mut self, key: &K) {
        self.current.remove(key);
        self.previous.remove(key);
    }

    pub fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_never_holds_more_than_two_generations_and_keeps_what_is_touched() {
        let mut map = BoundedMap::new(100);
        *map.entry(0, || 0) += 1;
        for key in 1..10_000 {
            *map.entry(key, || 0) += 1;
            *map.entry(0, || 0) += 1;
            assert!(map.len() <= 200);
        }
        assert_eq!(map.get(&0), Some(&10_000));
        assert_eq!(map.get(&5), None);
        map.remove(&0);
        assert_eq!(map.get(&0), None);
    }
}
