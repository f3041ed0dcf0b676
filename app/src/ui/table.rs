//! `DataTable`: the list of every domain's page. It shows a loading state,
//! the server's error, an empty message, or the rows; sortable columns are
//! header buttons that set `aria-sort`; below 640 px each row becomes a
//! card whose cells carry their column's name (`data-label`, see
//! `style/tailwind.css`). The region scrolls sideways by keyboard when the
//! table is wider than the screen.
use crate::error::AppError;
use leptos::prelude::*;
use std::sync::Arc;

/// A cell of one row.
pub type Cell<T> = Arc<dyn Fn(&T) -> AnyView + Send + Sync>;

/// One column of a [`DataTable`].
pub struct Column<T> {
    pub header: Signal<String>,
    /// The sort key the server understands (`email`; the table asks for
    /// `-email` when descending), when the column sorts.
    pub sort: Option<&'static str>,
    /// A header only screen readers read (a column of row buttons).
    pub header_hidden: bool,
    pub cell: Cell<T>,
}

impl<T> Column<T> {
    pub fn new(
        header: Signal<String>,
        cell: impl Fn(&T) -> AnyView + Send + Sync + 'static,
    ) -> Self {
        Column {
            header,
            sort: None,
            header_hidden: false,
            cell: Arc::new(cell),
        }
    }

    /// Sortable by `key`.
    pub fn sorts(mut self, key: &'static str) -> Self {
        self.sort = Some(key);
        self
    }

    /// Its header is for screen readers only.
    pub fn hidden_header(mut self) -> Self {
        self.header_hidden = true;
        self
    }
}

impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        Column {
            header: self.header,
            sort: self.sort,
            header_hidden: self.header_hidden,
            cell: Arc::clone(&self.cell),
        }
    }
}

/// `aria-sort` of the column sorted by `key` under the current `sort`.
fn aria_sort(current: &str, key: &str) -> &'static str {
    match current.strip_prefix('-') {
        Some(k) if k == key => "descending",
        None if current == key => "ascending",
        _ => "none",
    }
}

/// The sort after a click on the header of `key`: ascending first, then
/// the other way.
fn next_sort(current: &str, key: &str) -> String {
    if current == key {
        format!("-{key}")
    } else {
        key.to_string()
    }
}

#[component]
pub fn DataTable<T: Clone + Send + Sync + 'static>(
    /// The table's element id.
    id: &'static str,
    /// Its accessible name (the scrolling region's label and the caption).
    label: Signal<String>,
    columns: Vec<Column<T>>,
    /// The rows: `None` while loading.
    rows: Signal<Option<Result<Vec<T>, AppError>>>,
    /// Shown when there is no row.
    empty: Signal<String>,
    /// Shown while loading.
    loading: Signal<String>,
    /// The sort the headers change (`key`, or `-key` descending).
    #[prop(optional)]
    sort: Option<RwSignal<String>>,
) -> impl IntoView {
    let columns = StoredValue::new(columns);
    let headers = move || {
        columns.with_value(|cols| {
            cols.iter()
                .map(|c| {
                    let header = c.header;
                    let text = move || header.get();
                    let inner = match (c.sort, sort) {
                        (Some(key), Some(sort)) => view! {
                            <button type="button" class="sort" on:click=move |_| sort.update(|s| *s = next_sort(s, key))>
                                {text}<span class="sort-mark" aria-hidden="true"></span>
                            </button>
                        }.into_any(),
                        _ if c.header_hidden => view! { <span class="sr-only">{text}</span> }.into_any(),
                        _ => text.into_any(),
                    };
                    let state = c.sort.zip(sort).map(|(key, sort)| move || aria_sort(&sort.get(), key));
                    view! { <th scope="col" aria-sort=state>{inner}</th> }
                })
                .collect_view()
        })
    };
    let body = move || {
        match rows.get() {
        None => view! { <p role="status" class="muted">{move || loading.get()}</p> }.into_any(),
        Some(Err(e)) => view! { <p role="alert" class="notice notice-danger">{e.error.message}</p> }.into_any(),
        Some(Ok(items)) if items.is_empty() => view! { <p class="empty muted" id=format!("{id}-empty")>{move || empty.get()}</p> }.into_any(),
        Some(Ok(items)) => view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || label.get()>
                <table class="table data-table" id=id>
                    <caption class="sr-only">{move || label.get()}</caption>
                    <thead><tr>{headers}</tr></thead>
                    <tbody>
                        {items.iter().map(|row| view! {
                            <tr>
                                {columns.with_value(|cols| cols.iter().map(|c| {
                                    let header = c.header;
                                    view! { <td data-label=move || header.get()>{(c.cell)(row)}</td> }
                                }).collect_view())}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any(),
    }
    };
    view! { <div class="data-table-slot">{body}</div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_sort_ascending_then_descending() {
        assert_eq!(next_sort("", "email"), "email");
        assert_eq!(next_sort("email", "email"), "-email");
        assert_eq!(next_sort("-email", "email"), "email");
        assert_eq!(next_sort("-created_at", "email"), "email");
        assert_eq!(aria_sort("email", "email"), "ascending");
        assert_eq!(aria_sort("-email", "email"), "descending");
        assert_eq!(aria_sort("-created_at", "email"), "none");
    }
}
