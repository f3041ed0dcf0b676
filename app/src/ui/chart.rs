//! A bar chart drawn as SVG by us — no chart library in the WASM. Each bar
//! is focusable and shows its tooltip on hover and on keyboard focus; the
//! page keeps the same numbers in a data table beside it (the chart is a
//! picture of that table, so screen readers get the table).
use leptos::prelude::*;

/// One bar: its label (an hour, a day), its height and its tooltip.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    /// `good`, `warn` or `bad`: the bar's colour class (with the tooltip's
    /// words, never colour alone).
    pub tone: &'static str,
    pub tooltip: String,
}

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 160.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 20.0;

/// The height of `value` on a scale up to `max`, in chart units.
fn scaled(value: f64, max: f64) -> f64 {
    if max <= 0.0 {
        return 0.0;
    }
    ((value / max) * (HEIGHT - TOP - BOTTOM)).clamp(1.0, HEIGHT - TOP - BOTTOM)
}

/// `bars` left to right (mirrored in right-to-left pages by the page's
/// direction, like text). `label` names the chart for assistive tools.
#[component]
pub fn BarChart(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    bars: Vec<Bar>,
    /// The top of the scale (100 for percentages); the largest bar's
    /// value when not given.
    #[prop(optional)]
    max: Option<f64>,
) -> impl IntoView {
    let max = max.unwrap_or_else(|| bars.iter().filter_map(|b| b.value).fold(0.0_f64, f64::max));
    let n = bars.len().max(1) as f64;
    let slot = WIDTH / n;
    // The focused or hovered bar's words, shown under the chart.
    let tip = RwSignal::new(String::new());
    let first = bars.first().map(|b| b.label.clone()).unwrap_or_default();
    let last = bars.last().map(|b| b.label.clone()).unwrap_or_default();
    view! {
        <figure class="chart" id=id>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="group"
                aria-label=move || label.get()
                preserveAspectRatio="none"
            >
                <line class="chart-axis" x1="0" x2=WIDTH y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM />
                {bars
                    .into_iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let h = b.value.map(|v| scaled(v, max)).unwrap_or(0.0);
                        let x = i as f64 * slot + slot * 0.15;
                        let y = HEIGHT - BOTTOM - h;
                        let (on_focus, on_hover) = (b.tooltip.clone(), b.tooltip.clone());
                        view! {
                            <g
                                class=format!("chart-bar chart-{}", b.tone)
                                tabindex="0"
                                role="img"
                                aria-label=b.tooltip.clone()
                                on:focus=move |_| tip.set(on_focus.clone())
                                on:mouseenter=move |_| tip.set(on_hover.clone())
                                on:blur=move |_| tip.set(String::new())
                            >
                                // The whole slot answers the pointer, even an empty one.
                                <rect class="chart-hit" x=i as f64 * slot y=TOP width=slot height=HEIGHT - TOP - BOTTOM />
                                <rect x=x y=y width=slot * 0.7 height=h />
                                <title>{b.tooltip.clone()}</title>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <figcaption class="chart-range" dir="ltr"><span>{first}</span><span>{last}</span></figcaption>
            <output class="chart-tip" aria-live="polite">{move || tip.get()}</output>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn heights_stay_inside_the_plot() {
        assert_eq!(super::scaled(5.0, 0.0), 0.0);
        assert_eq!(
            super::scaled(10.0, 10.0),
            super::HEIGHT - super::TOP - super::BOTTOM
        );
        assert_eq!(super::scaled(0.0001, 10.0), 1.0);
    }
}
