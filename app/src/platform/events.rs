//! The event bus: what just happened (a server changed status, a check
//! came back down), broadcast in process to whoever is listening — the
//! browser through `GET /api/events` (server-sent events), and later the
//! alerting engine.
//!
//! - **Typed**: an event is a `Serialize` type that names its [`Topic`] and
//!   its name once ([`Publish`]); subscribers receive it as JSON.
//! - **Bounded**: one `tokio::sync::broadcast` channel. A subscriber that
//!   falls more than its capacity behind is told how many it missed
//!   ([`Received::Missed`]) and reloads, instead of holding memory.
//! - **Authorized per subscriber**: each topic needs a permission
//!   ([`Topic::needs`]); a subscription only yields events its holder may
//!   read, checked on every event against the permissions it has now.
//! - **Across instances later**: an event is self-contained JSON with an
//!   origin, so a PostgreSQL `LISTEN/NOTIFY` bridge can publish what one
//!   instance sends on every other (and skip its own) without changing a
//!   publisher or a subscriber.
use crate::platform::Permission;
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::broadcast;

macro_rules! topics {
    ($($variant:ident => $wire:literal, $needs:ident;)*) => {
        /// What an event is about; each topic is readable with one permission.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum Topic {
            $(#[serde(rename = $wire)] $variant,)*
        }

        impl Topic {
            pub const ALL: &'static [Topic] = &[$(Topic::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Topic::$variant => $wire,)* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($wire => Some(Topic::$variant),)* _ => None }
            }

            /// The permission a subscriber needs to receive this topic.
            pub fn needs(self) -> Permission {
                match self { $(Topic::$variant => Permission::$needs,)* }
            }
        }
    };
}

topics! {
    Servers => "servers", ServersRead;
    Monitoring => "monitoring", MonitoringRead;
    Incidents => "incidents", IncidentsRead;
    Alerts => "alerts", AlertsRead;
    // A reporter's own tickets: each event is addressed to its reporter.
    MyIncidents => "my-incidents", IncidentsCreate;
    // Each event is addressed to the notification's reader.
    Notifications => "notifications", NotificationsRead;
    // Status pages saved or deleted (their cached copies go).
    StatusPages => "status-pages", StatusPagesManage;
}

/// An event type: its topic and name, fixed per type.
pub trait Publish: Serialize {
    const TOPIC: Topic;
    /// `domain.what` (`server.changed`).
    const NAME: &'static str;

    /// The one user this event is for, when it is addressed (a reporter's
    /// own ticket); `None` for everyone who may read the topic.
    fn recipient(&self) -> Option<i32> {
        None
    }
}

/// One event as it travels: sequence number (per instance), topic, name,
/// the instance it came from and its data.
#[derive(Debug, Clone, Serialize)]
pub struct BusEvent {
    pub seq: u64,
    pub topic: Topic,
    pub name: &'static str,
    /// Only this user's subscriptions receive it (see [`Publish::recipient`]).
    pub recipient: Option<i32>,
    pub origin: Arc<str>,
    pub data: serde_json::Value,
}

/// Cheap to clone; every clone publishes on the same channel.
#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Arc<BusEvent>>,
    seq: Arc<AtomicU64>,
    origin: Arc<str>,
}

/// What a subscription yields.
#[derive(Debug, Clone)]
pub enum Received {
    Event(Arc<BusEvent>),
    /// This many events were dropped because the subscriber was too slow.
    Missed(u64),
}

impl EventBus {
    /// A bus keeping at most `capacity` events for its slowest subscriber.
    pub fn new(capacity: usize, origin: impl Into<Arc<str>>) -> Self {
        let (tx, _) = broadcast::channel(capacity.max(16));
        EventBus {
            tx,
            seq: Arc::new(AtomicU64::new(0)),
            origin: origin.into(),
        }
    }

    /// Sends `event` to every subscriber that may read it. Publishing with
    /// nobody listening is not an error.
    pub fn publish<E: Publish>(&self, event: &E) {
        let data = match serde_json::to_value(event) {
            Ok(v) => v,
            Err(e) => {
                tracing::error!(error = %e, name = E::NAME, "event not serializable");
                return;
            }
        };
        let event = BusEvent {
            seq: self.seq.fetch_add(1, Ordering::Relaxed) + 1,
            topic: E::TOPIC,
            name: E::NAME,
            recipient: event.recipient(),
            origin: Arc::clone(&self.origin),
            data,
        };
        let _ = self.tx.send(Arc::new(event));
    }

    /// Listens to `topics` (each event is then checked by
    /// [`Subscription::next`] against the reader's permissions of the moment).
    /// Used by the process itself (the engine): it hears addressed events too.
    pub fn subscribe(&self, topics: Vec<Topic>) -> Subscription {
        Subscription {
            rx: self.tx.subscribe(),
            topics,
            reader: None,
        }
    }

    /// Listens to `topics` as user `reader`: events addressed to someone
    /// else are never delivered.
    pub fn subscribe_as(&self, topics: Vec<Topic>, reader: i32) -> Subscription {
        Subscription {
            reader: Some(reader),
            ..self.subscribe(topics)
        }
    }

    /// The instance this bus publishes as (also its job worker's name).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Current subscribers (for `/metrics`).
    pub fn subscribers(&self) -> usize {
        self.tx.receiver_count()
    }
}

pub struct Subscription {
    rx: broadcast::Receiver<Arc<BusEvent>>,
    topics: Vec<Topic>,
    /// The user listening (`None`: the process itself).
    reader: Option<i32>,
}

impl Subscription {
    /// The next event of the subscribed topics that `may_read` allows
    /// (`None` once the bus is gone).
    pub async fn next(&mut self, may_read: impl Fn(Permission) -> bool) -> Option<Received> {
        loop {
            match self.rx.recv().await {
                Ok(e)
                    if self.topics.contains(&e.topic)
                        && may_read(e.topic.needs())
                        && (self.reader.is_none()
                            || e.recipient.is_none_or(|r| Some(r) == self.reader)) =>
                {
                    return Some(Received::Event(e));
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(n)) => return Some(Received::Missed(n)),
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Probe {
        n: u32,
    }
    impl Publish for Probe {
        const TOPIC: Topic = Topic::Monitoring;
        const NAME: &'static str = "probe.tick";
    }

    #[derive(Serialize)]
    struct Inventory;
    impl Publish for Inventory {
        const TOPIC: Topic = Topic::Servers;
        const NAME: &'static str = "server.changed";
    }

    #[derive(Serialize)]
    struct Addressed {
        to: i32,
    }
    impl Publish for Addressed {
        const TOPIC: Topic = Topic::MyIncidents;
        const NAME: &'static str = "report.changed";
        fn recipient(&self) -> Option<i32> {
            Some(self.to)
        }
    }

    #[tokio::test]
    async fn an_addressed_event_reaches_its_user_and_the_process_only() {
        let bus = EventBus::new(16, "test");
        let mut alice = bus.subscribe_as(vec![Topic::MyIncidents], 7);
        let mut bob = bus.subscribe_as(vec![Topic::MyIncidents], 8);
        let mut engine = bus.subscribe(vec![Topic::MyIncidents]);
        bus.publish(&Addressed { to: 7 });
        let any = |_: Permission| true;
        for sub in [&mut alice, &mut engine] {
            match sub.next(any).await {
                Some(Received::Event(e)) => {
                    assert_eq!((e.name, e.recipient), ("report.changed", Some(7)))
                }
                other => panic!("{other:?}"),
            }
        }
        let waited =
            tokio::time::timeout(std::time::Duration::from_millis(50), bob.next(any)).await;
        assert!(waited.is_err(), "bob received {waited:?}");
    }

    #[tokio::test]
    async fn subscribers_get_only_topics_they_chose_and_may_read() {
        let bus = EventBus::new(16, "test");
        let mut ops = bus.subscribe(vec![Topic::Servers, Topic::Monitoring]);
        let mut user = bus.subscribe(vec![Topic::Servers, Topic::Monitoring]);
        let mut servers_only = bus.subscribe(vec![Topic::Servers]);
        bus.publish(&Probe { n: 7 });
        bus.publish(&Inventory);
        let devops = |_: Permission| true;
        let nobody = |_: Permission| false;
        match ops.next(devops).await {
            Some(Received::Event(e)) => {
                assert_eq!((e.name, e.seq), ("probe.tick", 1));
                assert_eq!(e.data["n"], 7);
            }
            other => panic!("{other:?}"),
        }
        match servers_only.next(devops).await {
            Some(Received::Event(e)) => assert_eq!(e.name, "server.changed"),
            other => panic!("{other:?}"),
        }
        // A user holds neither permission: both events are skipped and the
        // subscription waits for one it may read.
        let waited =
            tokio::time::timeout(std::time::Duration::from_millis(50), user.next(nobody)).await;
        assert!(waited.is_err(), "a user received {waited:?}");
    }

    #[tokio::test]
    async fn a_slow_subscriber_is_told_what_it_missed() {
        let bus = EventBus::new(16, "test");
        let mut slow = bus.subscribe(vec![Topic::Monitoring]);
        for n in 0..40 {
            bus.publish(&Probe { n });
        }
        match slow.next(|_| true).await {
            Some(Received::Missed(n)) => assert_eq!(n, 24),
            other => panic!("{other:?}"),
        }
        match slow.next(|_| true).await {
            Some(Received::Event(e)) => assert_eq!(e.data["n"], 24),
            other => panic!("{other:?}"),
        }
    }
}
