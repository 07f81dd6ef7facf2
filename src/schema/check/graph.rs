//! References between resources: a cycle of required belongs_to fields means no row of
//! any of those resources could ever be inserted first. A required reference of a
//! resource to itself is the shortest such cycle: its first row would need a parent.

use std::collections::VecDeque;

use super::field::type_span;
use super::{Checker, USER};
use crate::schema::diagnostic::Diagnostic;
use crate::schema::raw::{RawSchema, Span};

/// A required belongs_to field from one resource to another, or to itself.
struct Edge {
    from: usize,
    to: usize,
    /// `Resource.field`
    label: String,
    span: Span,
}

impl Checker<'_> {
    /// Reports each cycle of required belongs_to fields.
    pub(super) fn required_cycles(&mut self, raw: &RawSchema) {
        let mut nodes: Vec<&str> = raw
            .resources
            .iter()
            .map(|r| r.name.value.as_str())
            .collect();
        if self.auth && !nodes.contains(&USER) {
            nodes.push(USER);
        }
        let edges = required_edges(raw, &nodes);
        let mut in_reported_cycle = vec![false; nodes.len()];
        for start in 0..nodes.len() {
            if in_reported_cycle[start] {
                continue;
            }
            let Some(cycle) = shortest_cycle(start, &edges, nodes.len()) else {
                continue;
            };
            for &edge in &cycle {
                in_reported_cycle[edges[edge].from] = true;
            }
            self.report_cycle(&cycle, &edges, &nodes);
        }
    }

    fn report_cycle(&mut self, cycle: &[usize], edges: &[Edge], nodes: &[&str]) {
        let steps: Vec<String> = cycle
            .iter()
            .map(|&e| format!("`{}` -> `{}`", edges[e].label, nodes[edges[e].to]))
            .collect();
        let first = &edges[cycle[0]];
        self.report(
            Diagnostic::new(
                format!(
                    "required belongs_to fields form a cycle: {}",
                    steps.join(", ")
                ),
                first.span.clone(),
            )
            .with_label("required, and part of the cycle")
            .with_help(
                "no row of these resources could be inserted first: make one of these \
                 fields optional (`optional = true`)",
            ),
        );
    }
}

/// The required belongs_to fields between existing resources, in file order.
fn required_edges(raw: &RawSchema, nodes: &[&str]) -> Vec<Edge> {
    let index = |name: &str| nodes.iter().position(|n| *n == name);
    let mut edges = Vec::new();
    for (from, resource) in raw.resources.iter().enumerate() {
        for field in &resource.fields {
            let is_belongs_to = field.ty.as_ref().is_some_and(|t| t.value == "belongs_to");
            if !is_belongs_to || field.is_optional() || field.broken {
                continue;
            }
            let Some(to) = field.resource.as_ref().and_then(|r| index(&r.value)) else {
                continue;
            };
            edges.push(Edge {
                from,
                to,
                label: format!("{}.{}", resource.name.value, field.name.value),
                span: type_span(field),
            });
        }
    }
    edges
}

/// The shortest cycle through `start`, as edge indices starting at `start`.
fn shortest_cycle(start: usize, edges: &[Edge], node_count: usize) -> Option<Vec<usize>> {
    // came_by[n] = the edge by which the search first reached node n.
    let mut came_by: Vec<Option<usize>> = vec![None; node_count];
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for (i, edge) in edges.iter().enumerate().filter(|(_, e)| e.from == node) {
            if edge.to == start {
                return Some(path_back(start, node, i, &came_by, edges));
            }
            if came_by[edge.to].is_none() {
                came_by[edge.to] = Some(i);
                queue.push_back(edge.to);
            }
        }
    }
    None
}

/// The edges from `start` to `last`, then `closing` back to `start`.
fn path_back(
    start: usize,
    last: usize,
    closing: usize,
    came_by: &[Option<usize>],
    edges: &[Edge],
) -> Vec<usize> {
    let mut path = vec![closing];
    let mut node = last;
    while node != start {
        let Some(edge) = came_by[node] else {
            break;
        };
        path.push(edge);
        node = edges[edge].from;
    }
    path.reverse();
    path
}
