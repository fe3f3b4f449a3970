//! [`OrderedMap`]: the tracker's calls, rosters and operations, found by key in constant time and
//! listed in the order they came.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

/// A map that keeps its entries in the order they were first inserted. Lookups, insertions and
/// removals cost constant time (amortized): a removed entry leaves a hole that later
/// insertions do not fill, and the holes are closed up once they are as many as the entries,
/// so that iterating stays linear in the entries. (`indexmap` keeps the order on removal by
/// moving every later entry, which makes removing many of them quadratic.)
#[derive(Clone, Debug)]
pub(crate) struct OrderedMap<K, V> {
    /// The entries in order, `None` where one was removed.
    slots: Vec<Option<(K, V)>>,
    /// Where each key's entry is in `slots`.
    index: HashMap<K, usize>,
}

impl<K, V> Default for OrderedMap<K, V> {
    fn default() -> Self {
        OrderedMap { slots: Vec::new(), index: HashMap::new() }
    }
}

impl<K: Hash + Eq + Clone, V> OrderedMap<K, V> {
    /// How many entries.
    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }

    pub(crate) fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.slots[*self.index.get(key)?].as_ref().map(|(_, v)| v)
    }

    pub(crate) fn get_mut<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.slots[*self.index.get(key)?].as_mut().map(|(_, v)| v)
    }

    /// Sets the value of `key`: in its place if it is there, else last. Returns the value.
    pub(crate) fn insert(&mut self, key: K, value: V) -> &mut V {
        let at = match self.index.get(&key) {
            Some(&at) => {
                self.slots[at] = Some((key, value));
                at
            }
            None => {
                self.index.insert(key.clone(), self.slots.len());
                self.slots.push(Some((key, value)));
                self.slots.len() - 1
            }
        };
        &mut self.slots[at].as_mut().expect("the entry was just set").1
    }

    /// Removes the entry of `key`.
    pub(crate) fn remove<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
    {
        let at = self.index.remove(key)?;
        let entry = self.slots[at].take();
        self.close_holes();
        entry
    }

    /// Removes the entries whose value `remove` says so, and gives them in order.
    pub(crate) fn remove_where(&mut self, mut remove: impl FnMut(&V) -> bool) -> Vec<(K, V)> {
        let mut removed = Vec::new();
        for slot in &mut self.slots {
            if slot.as_ref().is_some_and(|(_, v)| remove(v)) {
                let (key, value) = slot.take().expect("the slot is full");
                self.index.remove(&key);
                removed.push((key, value));
            }
        }
        self.close_holes();
        removed
    }

    /// The entries, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.slots.iter().flatten().map(|(k, v)| (k, v))
    }

    /// The values, in order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    /// The values, in order, to change.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.slots.iter_mut().flatten().map(|(_, v)| v)
    }

    /// Closes the holes up once they are as many as the entries.
    fn close_holes(&mut self) {
        if self.slots.len() < 2 * self.index.len() + 8 {
            return;
        }
        self.slots.retain(Option::is_some);
        for (at, (key, _)) in self.slots.iter().flatten().enumerate() {
            *self.index.get_mut(key).expect("every entry is indexed") = at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_their_first_place_through_removals() {
        let mut map = OrderedMap::default();
        for i in 0..100 {
            map.insert(i, i * 10);
        }
        map.insert(5, 55);
        assert_eq!(map.get(&5), Some(&55));
        for i in (0..100).filter(|i| i % 3 != 0) {
            let value = if i == 5 { 55 } else { i * 10 };
            assert_eq!(map.remove(&i), Some((i, value)));
        }
        assert_eq!(map.remove(&1), None);
        map.insert(1, 1);
        let keys: Vec<i32> = map.iter().map(|(k, _)| *k).collect();
        let expected: Vec<i32> = (0..100).filter(|i| i % 3 == 0).chain([1]).collect();
        assert_eq!(keys, expected);
        assert_eq!(map.len(), expected.len());
        assert!(map.slots.len() < 2 * map.len() + 8, "the holes were closed up");
        for key in expected {
            assert!(map.get(&key).is_some());
        }
        *map.get_mut(&1).unwrap() = 7;
        assert_eq!(map.values().last(), Some(&7));
    }

    #[test]
    fn removing_where_gives_the_removed_in_order() {
        let mut map = OrderedMap::default();
        for i in 0..10 {
            map.insert(i.to_string(), i);
        }
        let removed: Vec<i32> = map.remove_where(|v| v % 2 == 1).into_iter().map(|(_, v)| v).collect();
        assert_eq!(removed, [1, 3, 5, 7, 9]);
        assert_eq!(map.values().copied().collect::<Vec<_>>(), [0, 2, 4, 6, 8]);
        assert_eq!(map.get("4"), Some(&4));
        assert_eq!(map.get("5"), None);
    }
}
