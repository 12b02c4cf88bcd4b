//! `on kafka cluster.X { topic, batch, window, start, consumer_group, auth, pollers,
//! filter }` → [`TriggerKind::Kafka`]. The shape and the references are checked here;
//! topic and group names, ranges and pollers are the rules' job (`rules/kafka.rs`).

use crate::diag::{Code, Diagnostic};
use crate::events::Record;
use crate::model::{KafkaAuth, KafkaOptions, Kind, TriggerKind, S};
use crate::schema::{KafkaSignIn, KAFKA_AUTH_WORDS};
use crate::syntax::ast::{self, Expr, ExprKind};

use super::attrs::Fields;
use super::cx::Cx;

impl<'a> Cx<'a> {
    /// Every option is read before anything is refused, so that each mistake of the
    /// trigger is reported at once.
    pub(super) fn kafka(
        &mut self,
        t: &'a ast::Trigger,
        source: &'a Expr,
        b: &Fields<'a>,
    ) -> Option<TriggerKind> {
        let cluster = self.reference(source, "on kafka", &[Kind::Cluster]);
        let topic = match self.get_expr(b, "topic") {
            Some(e) => self.deploy_str(e, "topic"),
            None => {
                if !b.written("topic") {
                    self.report(missing_topic(t));
                }
                None
            }
        };
        let options = KafkaOptions {
            batch: self
                .get_expr(b, "batch")
                .and_then(|e| self.count(e, "batch")),
            window: self
                .get_expr(b, "window")
                .and_then(|e| self.seconds(e, "window")),
            start: self.start_position(t, b),
            consumer_group: self
                .get_expr(b, "consumer_group")
                .and_then(|e| self.deploy_str(e, "consumer_group")),
            auth: self.get_expr(b, "auth").and_then(|e| self.kafka_auth(e)),
            pollers: self.get_expr(b, "pollers").and_then(|e| self.pollers(e)),
            filter: self.esm_filter(b, Record::Kafka),
        };
        Some(TriggerKind::Kafka {
            cluster: cluster?,
            topic: topic?,
            options: Box::new(options),
        })
    }

    /// `auth = iam` or `auth = secret.NAME` (MSK-AUTH).
    fn kafka_auth(&mut self, e: &'a Expr) -> Option<S<KafkaAuth>> {
        let e = self.subst_symbol(e)?;
        if let ExprKind::Path(p) = &e.kind {
            if p.segments.len() > 1 {
                let secret = self.path_ref(p, "auth", &[Kind::Secret])?;
                return Some(S::new(KafkaAuth::Secret(secret.value), secret.span));
            }
        }
        let word = self.symbol(e, "auth", KAFKA_AUTH_WORDS)?;
        Some(match word.value {
            KafkaSignIn::Iam => S::new(KafkaAuth::Iam, word.span),
        })
    }
}

/// E0105: the mapping reads one topic, which nothing else names.
fn missing_topic(t: &ast::Trigger) -> Diagnostic {
    Diagnostic::new(Code::E0105, t.span, "`on kafka` needs a `topic`")
        .label("no topic to read")
        .help("name the topic it reads: `on kafka cluster.NAME { topic = \"orders\" }`")
}
