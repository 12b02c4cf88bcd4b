//! CloudFormation values (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, literals) as lamc
//! expressions: `{"Ref": "Jobs"}` → `queue.jobs.url`, `!Sub "${AWS::Region}-x"` →
//! `"${aws.region}-x"`. What lamc cannot say (`Fn::If`, `Fn::ImportValue`, a condition, a
//! resource that was not imported) is an `Err` naming it, which the caller keeps as a
//! comment.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::write;
use crate::model::{Attr, Kind, Pseudo};

/// A declaration of the imported program a logical ID stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: Kind,
    pub name: String,
    /// The original's API is a REST API (its URL carries a stage that lamc's has not).
    pub rest: bool,
}

impl Target {
    pub fn new(kind: Kind, name: impl Into<String>) -> Target {
        Target {
            kind,
            name: name.into(),
            rest: false,
        }
    }

    /// `queue.jobs`.
    pub fn path(&self) -> String {
        format!("{}.{}", self.kind.as_str(), self.name)
    }
}

/// What the names of the original stand for in the imported program.
#[derive(Debug, Default)]
pub struct Scope {
    /// Logical ID → declaration.
    pub decls: BTreeMap<String, Target>,
    /// Parameter (logical ID) → lamc `param` name.
    pub params: BTreeMap<String, String>,
    /// Declarations by the name the original gave the resource itself (`TableName:
    /// orders-${Stage}`), as canonical text: a value equal to it is the declaration's
    /// `.name` (lamc names resources itself), an ARN ending in it is the declaration.
    pub physical: Vec<(String, Target)>,
    /// Role (logical ID) → the function it is the role of, which lamc writes itself: SAM's
    /// implicit `{Function}Role`, or a role of the template that one function names. Its
    /// `Fn::GetAtt R.Arn` is the function's `role`.
    pub roles: BTreeMap<String, Target>,
}

/// Text or an interpolated path of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    Path(String),
}

/// `Err` names what lamc cannot represent.
pub type Conv<T> = Result<T, String>;

impl Scope {
    /// Declare `id` as a `kind` named after `base`, made unique among its kind (by the
    /// logical ID it becomes, so `my_queue` and `myQueue` do not collide).
    pub fn declare(&mut self, id: &str, kind: Kind, base: &str) -> Target {
        let taken = |name: &str| {
            let pascal = crate::naming::pascal_case(name);
            self.decls
                .values()
                .any(|t| t.kind == kind && crate::naming::pascal_case(&t.name) == pascal)
        };
        let mut name = base.to_string();
        let mut n = 2;
        while taken(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        let target = Target::new(kind, name);
        self.decls.insert(id.to_string(), target.clone());
        target
    }

    /// A parameter's lamc name, unique among parameters.
    pub fn declare_param(&mut self, id: &str, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.params.values().any(|p| *p == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.params.insert(id.to_string(), name.clone());
        name
    }

    /// The existing resource declared for the ARN `v` (see [`existing_key`]).
    pub fn source(&self, v: &Value) -> Option<Target> {
        self.target(v).or_else(|| {
            let parts = self.parts(v).ok()?;
            self.decls.get(&existing_key(&parts)).cloned()
        })
    }

    /// A lamc expression for a value written where lamc hands values on (env, tags,
    /// outputs): a literal, a path, or a string with `${…}`.
    pub fn expr(&self, v: &Value) -> Conv<String> {
        match v {
            Value::Bool(b) => Ok(write::string(&b.to_string())),
            Value::Number(n) => Ok(write::string(&n.to_string())),
            _ => {
                let parts = self.parts(v)?;
                if let Some(t) = self.physical_target(&parts) {
                    return Ok(format!("{}.name", t.path()));
                }
                Ok(render(&parts))
            }
        }
    }

    /// The parts of a string value.
    pub fn parts(&self, v: &Value) -> Conv<Vec<Part>> {
        match v {
            Value::String(s) => Ok(vec![Part::Text(s.clone())]),
            Value::Number(n) => Ok(vec![Part::Text(n.to_string())]),
            Value::Bool(b) => Ok(vec![Part::Text(b.to_string())]),
            Value::Object(m) if m.len() == 1 => {
                let (k, arg) = m.iter().next().expect("one entry");
                self.intrinsic(k, arg)
            }
            Value::Null => Err("an empty value".into()),
            Value::Array(_) => Err("a list where text belongs".into()),
            Value::Object(_) => Err("a mapping where text belongs".into()),
        }
    }

    fn intrinsic(&self, name: &str, arg: &Value) -> Conv<Vec<Part>> {
        match (name, arg) {
            ("Ref", Value::String(id)) => self.reference(id, None).map(|p| vec![Part::Path(p)]),
            ("Fn::GetAtt", Value::Array(a)) if a.len() == 2 => {
                let (Some(id), Some(attr)) = (a[0].as_str(), a[1].as_str()) else {
                    return Err("Fn::GetAtt with a computed argument".into());
                };
                self.reference(id, Some(attr)).map(|p| vec![Part::Path(p)])
            }
            ("Fn::GetAtt", Value::String(s)) => match s.split_once('.') {
                Some((id, attr)) => self.reference(id, Some(attr)).map(|p| vec![Part::Path(p)]),
                None => Err(format!("Fn::GetAtt {s}")),
            },
            ("Fn::Sub", Value::String(text)) => self.sub(text, &Map::new()),
            ("Fn::Sub", Value::Array(a)) if a.len() == 2 => match (&a[0], &a[1]) {
                (Value::String(text), Value::Object(vars)) => self.sub(text, vars),
                _ => Err("Fn::Sub with a computed argument".into()),
            },
            ("Fn::Join", Value::Array(a)) if a.len() == 2 => {
                let (Some(sep), Some(items)) = (a[0].as_str(), a[1].as_array()) else {
                    return Err("Fn::Join with a computed argument".into());
                };
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 && !sep.is_empty() {
                        out.push(Part::Text(sep.to_string()));
                    }
                    out.extend(self.parts(item)?);
                }
                Ok(out)
            }
            (other, _) => Err(other.to_string()),
        }
    }

    /// `Ref` (attr `None`) or `Fn::GetAtt` of a logical ID as a path.
    pub fn reference(&self, id: &str, attr: Option<&str>) -> Conv<String> {
        if attr.is_none() {
            if let Some(p) = Pseudo::from_cfn_name(id) {
                return Ok(format!("aws.{}", p.as_str()));
            }
            if let Some(p) = self.params.get(id) {
                return Ok(format!("param.{p}"));
            }
        }
        if let (Some("Arn"), Some(f)) = (attr, self.roles.get(id)) {
            return Ok(format!("{}.{}", f.path(), Attr::Role.as_str()));
        }
        let shown = || attr.map_or_else(|| id.to_string(), |a| format!("{id}.{a}"));
        let target = self.decls.get(id).ok_or_else(shown)?;
        let ours = attribute(target.kind, attr).ok_or_else(shown)?;
        Ok(format!("{}.{}", target.path(), ours.as_str()))
    }

    /// `Fn::Sub`: `${Name}`, `${Name.Attr}`, `${AWS::Region}`, `${!literal}`, and the
    /// variables of its second form.
    fn sub(&self, text: &str, vars: &Map<String, Value>) -> Conv<Vec<Part>> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push(Part::Text(rest[..start].to_string()));
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push(Part::Text(rest[start..].to_string()));
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(lit) = name.strip_prefix('!') {
                out.push(Part::Text(format!("${{{lit}}}")));
            } else if let Some(v) = vars.get(name) {
                out.extend(self.parts(v)?);
            } else if let Some((id, attr)) = name.split_once('.') {
                out.push(Part::Path(self.reference(id, Some(attr))?));
            } else {
                out.push(Part::Path(self.reference(name, None)?));
            }
        }
        out.push(Part::Text(rest.to_string()));
        Ok(merge(out))
    }

    /// The declaration a value names, as a trigger's source or an `allow` line's resource:
    /// `!GetAtt Q.Arn`, `!Ref Topic`, an ARN built around one declaration (`!Sub
    /// "${Bucket.Arn}/*"`, `arn:aws:s3:::${Bucket}/*`) or ending in a name the original gave
    /// it.
    pub fn target(&self, v: &Value) -> Option<Target> {
        let parts = self.parts(v).ok()?;
        let decls: Vec<&str> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Path(p) if !p.starts_with("aws.") && !p.starts_with("param.") => {
                    Some(p.as_str())
                }
                _ => None,
            })
            .collect();
        if let [one] = decls.as_slice() {
            // A function's role is not the function (`allow … on` it names no declaration).
            if one.ends_with(&format!(".{}", Attr::Role.as_str())) {
                return None;
            }
            let mut segs = one.split('.');
            let kind = Kind::parse(segs.next()?)?;
            let name = segs.next()?;
            return self
                .decls
                .values()
                .find(|t| t.kind == kind && t.name == name)
                .cloned();
        }
        if !decls.is_empty() {
            return None;
        }
        self.arn_by_name(&render_plain(&parts))
    }

    /// [`Scope::target`], or the declaration the original named by this very text
    /// (`QueueName: orders-queue` in a policy template).
    pub fn named(&self, v: &Value) -> Option<Target> {
        if let Some(t) = self.target(v) {
            return Some(t);
        }
        let parts = self.parts(v).ok()?;
        self.physical_target(&parts)
    }

    /// A declaration whose original name ends the ARN `arn` (before a `/…` suffix).
    fn arn_by_name(&self, arn: &str) -> Option<Target> {
        if !arn.starts_with("arn:") {
            return None;
        }
        self.physical.iter().find_map(|(name, t)| {
            let at = arn.rfind(name.as_str())?;
            let before = arn[..at].chars().last()?;
            let after = &arn[at + name.len()..];
            ((before == ':' || before == '/') && (after.is_empty() || after.starts_with('/')))
                .then(|| t.clone())
        })
    }

    fn physical_target(&self, parts: &[Part]) -> Option<Target> {
        let text = render_plain(parts);
        self.physical
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, t)| t.clone())
    }
}

/// The key under which an existing resource, named by its ARN, is kept in
/// [`Scope::decls`].
pub fn existing_key(parts: &[Part]) -> String {
    format!("@{}", render_plain(parts))
}

/// The kind of an existing resource, from its ARN's service, and a name for it from the
/// ARN's last field (`arn:aws:sqs:…:partner-jobs` → queue `partner_jobs`).
pub fn existing_kind(arn: &str) -> Option<(Kind, String)> {
    let mut fields = arn.split(':');
    (fields.next()? == "arn").then_some(())?;
    let _partition = fields.next()?;
    let kind = match fields.next()? {
        "sqs" => Kind::Queue,
        "sns" => Kind::Topic,
        "kinesis" => Kind::Stream,
        "kafka" => return Some((Kind::Cluster, cluster_name(arn)?)),
        _ => return None,
    };
    let last = arn.rsplit([':', '/']).next()?;
    Some((kind, write::snake(last)))
}

/// A name for an MSK cluster from its ARN, `…:cluster/NAME/UUID` (the UUID says nothing);
/// `None` for an ARN of another MSK resource (a topic, a group).
fn cluster_name(arn: &str) -> Option<String> {
    let (_, resource) = arn.split_once(":cluster/")?;
    let name = resource.split('/').next().filter(|n| !n.is_empty())?;
    Some(name_of_text(name))
}

/// A name for what the text `text` names: a parameter as a whole (`${param.x}`) is `x`,
/// else the text in snake case.
pub fn name_of_text(text: &str) -> String {
    let param = text
        .strip_prefix("${param.")
        .and_then(|r| r.strip_suffix('}'))
        .filter(|p| !p.contains('$'));
    write::snake(param.unwrap_or(text))
}

/// What `Ref` (attr `None`) or `Fn::GetAtt` of a resource of `kind` gives, in lamc's words.
fn attribute(kind: Kind, attr: Option<&str>) -> Option<Attr> {
    let ours = match (kind, attr) {
        (Kind::Queue, None | Some("QueueUrl")) => Attr::Url,
        (Kind::Topic, None | Some("TopicArn")) => Attr::Arn,
        (Kind::Api, None | Some("ApiId")) => Attr::Id,
        (Kind::Api, Some("ApiEndpoint")) => Attr::Url,
        // SAM's `{Function}Url` (see `sam::declare_resources`).
        (Kind::Function, Some("FunctionUrl")) => Attr::Url,
        // A layer version's `Ref` is its ARN.
        (Kind::Layer, None | Some("LayerVersionArn")) => Attr::Arn,
        (_, None) => Attr::Name,
        (Kind::Queue, Some("QueueName")) | (Kind::Topic, Some("TopicName")) => Attr::Name,
        (Kind::Table, Some("StreamArn")) => Attr::StreamArn,
        (Kind::Bus, Some("Name")) => Attr::Name,
        (_, Some("Arn")) => Attr::Arn,
        _ => return None,
    };
    crate::schema::exposes(kind)
        .iter()
        .any(|(_, a)| *a == ours)
        .then_some(ours)
}

/// Adjacent texts joined, empty texts dropped.
fn merge(parts: Vec<Part>) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    for p in parts {
        match (out.last_mut(), p) {
            (_, Part::Text(t)) if t.is_empty() => {}
            (Some(Part::Text(prev)), Part::Text(t)) => prev.push_str(&t),
            (_, p) => out.push(p),
        }
    }
    out
}

/// Parts as a lamc expression: a lone path as it is, else a string with `${…}`.
pub fn render(parts: &[Part]) -> String {
    let parts = merge(parts.to_vec());
    if let [Part::Path(p)] = parts.as_slice() {
        return p.clone();
    }
    let mut out = String::from("\"");
    for p in &parts {
        match p {
            Part::Text(t) => write::push_escaped(t, &mut out),
            Part::Path(p) => {
                out.push_str("${");
                out.push_str(p);
                out.push('}');
            }
        }
    }
    out.push('"');
    out
}

/// Parts as plain text with `${path}` for paths: how two values are compared.
pub fn render_plain(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.clone(),
            Part::Path(p) => format!("${{{p}}}"),
        })
        .collect()
}

/// A plain literal's text (a string, a number, a boolean); `None` for intrinsics.
pub fn literal(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A whole number, written as a number or as text (`"30"`).
pub fn number(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testkit::declared;
    use serde_json::json;

    fn scope() -> Scope {
        let mut s = declared(&[
            ("Jobs", Kind::Queue, "jobs"),
            ("Orders", Kind::Table, "orders"),
            ("Files", Kind::Bucket, "files"),
            ("News", Kind::Topic, "news"),
        ]);
        s.params.insert("Stage".into(), "stage".into());
        s.physical.push((
            "orders-${param.stage}".into(),
            Target::new(Kind::Table, "orders"),
        ));
        s
    }

    #[test]
    fn references_take_what_cloudformation_gives() {
        let s = scope();
        let e = |v: Value| s.expr(&v);
        assert_eq!(e(json!({"Ref": "Jobs"})).as_deref(), Ok("queue.jobs.url"));
        assert_eq!(e(json!({"Ref": "News"})).as_deref(), Ok("topic.news.arn"));
        assert_eq!(
            e(json!({"Ref": "Orders"})).as_deref(),
            Ok("table.orders.name")
        );
        assert_eq!(
            e(json!({"Fn::GetAtt": ["Orders", "StreamArn"]})).as_deref(),
            Ok("table.orders.stream_arn")
        );
        assert_eq!(
            e(json!({"Fn::GetAtt": "Jobs.QueueName"})).as_deref(),
            Ok("queue.jobs.name")
        );
        assert_eq!(
            e(json!({"Ref": "AWS::Region"})).as_deref(),
            Ok("aws.region")
        );
        assert_eq!(e(json!({"Ref": "Stage"})).as_deref(), Ok("param.stage"));
        assert_eq!(e(json!("plain")).as_deref(), Ok("\"plain\""));
        assert_eq!(e(json!(30)).as_deref(), Ok("\"30\""));
    }

    #[test]
    fn sub_and_join_become_interpolated_strings() {
        let s = scope();
        let e = |v: Value| s.expr(&v);
        assert_eq!(
            e(json!({"Fn::Sub": "${AWS::StackName}-${Stage}-${!Literal}"})).as_deref(),
            Ok("\"${aws.stack_name}-${param.stage}-\\${Literal}\"")
        );
        assert_eq!(
            e(json!({"Fn::Sub": ["x-${v}", {"v": {"Ref": "Files"}}]})).as_deref(),
            Ok("\"x-${bucket.files.name}\"")
        );
        assert_eq!(
            e(json!({"Fn::Join": ["-", ["a", {"Ref": "Stage"}]]})).as_deref(),
            Ok("\"a-${param.stage}\"")
        );
        // A value equal to a name the original gave a resource is that resource's name.
        assert_eq!(
            e(json!({"Fn::Sub": "orders-${Stage}"})).as_deref(),
            Ok("table.orders.name")
        );
    }

    #[test]
    fn what_lamc_cannot_say_is_named() {
        let s = scope();
        assert_eq!(
            s.expr(&json!({"Fn::If": ["C", 1, 2]})),
            Err("Fn::If".to_string())
        );
        assert_eq!(
            s.expr(&json!({"Fn::ImportValue": "x"})),
            Err("Fn::ImportValue".to_string())
        );
        assert_eq!(
            s.expr(&json!({"Fn::GetAtt": ["FnRole", "Arn"]})),
            Err("FnRole.Arn".to_string())
        );
        assert_eq!(
            s.expr(&json!({"Fn::GetAtt": ["Files", "DomainName"]})),
            Err("Files.DomainName".to_string())
        );
    }

    #[test]
    fn a_functions_role_is_its_role_attribute_and_no_declaration() {
        let mut s = scope();
        s.roles
            .insert("FnRole".into(), Target::new(Kind::Function, "worker"));
        let role = json!({"Fn::GetAtt": ["FnRole", "Arn"]});
        assert_eq!(s.expr(&role).as_deref(), Ok("function.worker.role"));
        assert_eq!(s.target(&role), None);
        // The role's name is nothing lamc says.
        assert!(s.expr(&json!({"Ref": "FnRole"})).is_err());
    }

    #[test]
    fn an_msk_cluster_is_named_after_the_name_in_its_arn() {
        let kind = |arn: &str| existing_kind(arn);
        assert_eq!(
            kind("arn:aws:kafka:us-east-1:1:cluster/orders-events/0123-1"),
            Some((Kind::Cluster, "orders_events".into()))
        );
        assert_eq!(
            kind("arn:aws:kafka:${aws.region}:1:cluster/${param.cluster_name}/*"),
            Some((Kind::Cluster, "cluster_name".into()))
        );
        assert_eq!(kind("arn:aws:kafka:us-east-1:1:topic/c/u/t"), None);
        assert_eq!(name_of_text("${param.msk_arn}"), "msk_arn");
    }

    #[test]
    fn arns_name_their_declaration() {
        let s = scope();
        let t = |v: Value| s.target(&v).map(|t| t.path());
        assert_eq!(
            t(json!({"Fn::GetAtt": ["Jobs", "Arn"]})).as_deref(),
            Some("queue.jobs")
        );
        assert_eq!(
            t(json!({"Fn::Sub": "arn:aws:s3:::${Files}/*"})).as_deref(),
            Some("bucket.files")
        );
        assert_eq!(
            t(json!({"Fn::Join": ["", ["arn:aws:dynamodb:", {"Ref": "AWS::Region"}, ":*:table/orders-", {"Ref": "Stage"}]]}))
                .as_deref(),
            Some("table.orders")
        );
        assert_eq!(t(json!("arn:aws:sqs:us-east-1:1:other")), None);
        assert_eq!(t(json!("*")), None);
    }
}
