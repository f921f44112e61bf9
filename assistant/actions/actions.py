"""The assistant's custom actions: language, policy answers, the eligibility and complaint forms.

All reply text comes from messages.yml (zh and en); all policy facts come from the portal API.
A portal outage never surfaces as a stack trace: the resident gets a polite message with 12385.
"""

from __future__ import annotations

import hashlib
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import parsing
from .portal_client import Policy, PortalClient, PortalUnavailable, ProfileRejected
from .texts import buttons, join, messages, normalise_language, text

logger = logging.getLogger(__name__)

TWO_SUBSIDIES = ("living-subsidy", "nursing-subsidy")
PROFILE_SLOTS = (
    "age",
    "disability_category",
    "multiple_includes",
    "disability_grade",
    "household",
    "hukou",
    "residence_permit",
    "certificate",
    "long_term_care",
    "work_injury_nursing",
    "orphan",
    "incontinence",
    "lower_limb",
    "motorized_wheelchair",
    "student",
    "employment",
    "fixed_income",
)
COMPLAINT_SLOTS = ("complaint_what", "complaint_where", "complaint_contact", "complaint_confirm")
MAX_COMPLAINT_CHARS = 1000


def portal_client() -> PortalClient:
    """A client configured from the environment (PORTAL_URL, PORTAL_SERVICE_TOKEN)."""
    return PortalClient()


def language_of(tracker: Tracker) -> str:
    return normalise_language(tracker.get_slot("language"))


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def latest_benefit(tracker: Tracker) -> str | None:
    """The benefit named in the latest message, else the one the conversation is about."""
    values = list(tracker.get_latest_entity_values("benefit"))
    return values[-1] if values else tracker.get_slot("benefit")


def intent_payload(intent: str, benefit: str) -> str:
    return f"/{intent}{json.dumps({'benefit': benefit}, ensure_ascii=False)}"


def say(dispatcher: CollectingDispatcher, key: str, lang: str, with_buttons: str | None = None, **values: Any) -> None:
    """Utter message `key`; `with_buttons` names the messages.yml entry whose buttons to attach."""
    dispatcher.utter_message(
        text=text(key, lang, **values), buttons=buttons(with_buttons, lang) if with_buttons else []
    )


def offer_choices(dispatcher: CollectingDispatcher, client: PortalClient, query: str, intent: str, lang: str) -> bool:
    """Offer the policies matching `query` as buttons; False when there is nothing to offer."""
    if parsing.mentions_two_subsidies(query):
        policies = [client.get_policy(pid, lang) for pid in TWO_SUBSIDIES]
        dispatcher.utter_message(
            text=text("which_two_subsidies", lang),
            buttons=[{"title": p.title, "payload": intent_payload(intent, p.id)} for p in policies if p],
        )
        return True
    if not query.strip() or query.startswith("/"):
        return False
    hits = client.search(query, lang=lang, limit=3).results
    if not hits:
        return False
    dispatcher.utter_message(
        text=text("search_results", lang),
        buttons=[{"title": h.title, "payload": intent_payload(intent, h.id)} for h in hits],
    )
    return True


class ActionSetLanguage(Action):
    """Custom slot mapping of `language`: the portal sends {"lang": "en"} as message metadata."""

    def name(self) -> str:
        return "action_set_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                lang = (event.get("metadata") or {}).get("lang")
                if lang:
                    wanted = normalise_language(lang)
                    if wanted != tracker.get_slot("language"):
                        return [SlotSet("language", wanted)]
                break
        return []


class PolicyAnswerAction(Action, ABC):
    """Answer about one policy from the portal's record; search when no policy is named."""

    intent: str = ""

    @abstractmethod
    def answer(self, dispatcher: CollectingDispatcher, policy: Policy, lang: str) -> None:
        """Utter the answer for `policy`."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = language_of(tracker)
        client = portal_client()
        named = parsing.benefit_named(latest_text(tracker))
        entities = list(tracker.get_latest_entity_values("benefit"))
        benefit = named or (entities[-1] if entities else None) or tracker.get_slot("benefit")
        if benefit_group(benefit) is not None:
            benefit = None
        try:
            policy = client.get_policy(benefit, lang) if benefit else None
            if policy is None:
                if not offer_choices(dispatcher, client, latest_text(tracker), self.intent, lang):
                    say(dispatcher, "policy_not_found", lang)
                return [SlotSet("benefit", None)] if benefit else []
        except PortalUnavailable as exc:
            logger.warning("portal unavailable: %s", exc)
            say(dispatcher, "portal_unavailable", lang)
            return []
        self.answer(dispatcher, policy, lang)
        return [SlotSet("benefit", policy.id)]


def _policy_values(policy: Policy) -> dict[str, Any]:
    return {
        "title": policy.title,
        "summary": policy.summary,
        "who": policy.who,
        "what_you_get": policy.what_you_get,
        "how_to_apply": policy.how_to_apply,
        "url": policy.url,
        "apply_url": policy.apply_url or policy.url,
        "department": policy.lead_department.name,
    }


class ActionPolicyInfo(PolicyAnswerAction):
    intent = "ask_policy_info"

    def name(self) -> str:
        return "action_policy_info"

    def answer(self, dispatcher: CollectingDispatcher, policy: Policy, lang: str) -> None:
        say(dispatcher, "policy_info", lang, **_policy_values(policy))


class ActionHowToApply(PolicyAnswerAction):
    intent = "ask_how_to_apply"

    def name(self) -> str:
        return "action_how_to_apply"

    def answer(self, dispatcher: CollectingDispatcher, policy: Policy, lang: str) -> None:
        kind = policy.apply if policy.apply in ("online", "offline", "info") else "offline"
        if kind == "online" and not policy.apply_url:
            kind = "offline"
        say(dispatcher, f"how_to_apply_{kind}", lang, **_policy_values(policy))


class ActionDocuments(PolicyAnswerAction):
    intent = "ask_documents"

    def name(self) -> str:
        return "action_documents"

    def answer(self, dispatcher: CollectingDispatcher, policy: Policy, lang: str) -> None:
        values = _policy_values(policy)
        if policy.documents_required:
            documents = "\n".join(f"{i}. {d}" for i, d in enumerate(policy.documents_required, 1))
            say(dispatcher, "documents", lang, documents=documents, **values)
        else:
            say(dispatcher, "documents_none", lang, **values)


class ActionContact(Action):
    """12385 always; the lead department's name when a policy is known. No invented numbers."""

    def name(self) -> str:
        return "action_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = language_of(tracker)
        benefit = latest_benefit(tracker)
        policy = None
        if benefit:
            try:
                policy = portal_client().get_policy(benefit, lang)
            except PortalUnavailable as exc:
                logger.warning("portal unavailable: %s", exc)
        if policy and policy.lead_department.name:
            say(dispatcher, "contact_department", lang, title=policy.title, department=policy.lead_department.name)
        else:
            say(dispatcher, "contact_general", lang)
        return []


# --- eligibility form ---------------------------------------------------------------------------

GROUP_PREFIX = "*"
MAX_GROUP_QUESTIONS = 2  # "what can I get?": at most two questions, then the grouped answer
STATUS_ORDER = ("eligible", "needs_review", "need_more_info", "not_eligible")


def benefit_group(benefit: Any) -> list[str] | None:
    """The benefits a group value of the `benefit` slot stands for: "*" is every benefit ([]), "*:a,b" those
    a need points to; None when `benefit` is one policy id."""
    if not isinstance(benefit, str) or not benefit.startswith(GROUP_PREFIX):
        return None
    return [b for b in benefit[len(GROUP_PREFIX) :].lstrip(":").split(",") if b]


def group_value(ids: list[str]) -> str:
    return GROUP_PREFIX + (":" + ",".join(ids) if ids else "")


def asked_in_this_form(tracker: Tracker) -> set[str]:
    """The profile slots the form has asked for since it was last activated."""
    asked: set[str] = set()
    for event in tracker.events:
        if event.get("event") == "active_loop" and event.get("name") == "eligibility_form":
            asked = set()
        elif (
            event.get("event") == "slot"
            and event.get("name") == "requested_slot"
            and event.get("value") in PROFILE_SLOTS
        ):
            asked.add(str(event["value"]))
    return asked


def next_missing_slot(tracker: Tracker, client: PortalClient) -> str | None:
    """The slot for the field the rule engine still needs most, or None when it has decided (or cannot be
    asked: portal down, benefit without a rule, or the two questions of "what can I get?" are used)."""
    benefit = tracker.slots.get("benefit")
    if not benefit:
        return None
    group = benefit_group(benefit)
    if group is not None and len(asked_in_this_form(tracker)) >= MAX_GROUP_QUESTIONS:
        return None
    profile = parsing.build_profile(tracker.slots)
    try:
        results = client.check_eligibility(
            profile, group or None if group is not None else [benefit], lang=language_of(tracker)
        )
    except (PortalUnavailable, ProfileRejected) as exc:
        logger.info("eligibility form stops asking: %s", exc)
        return None
    counts: dict[str, int] = {}
    order: list[str] = []
    for result in results:
        if result.status == "need_more_info":
            for field_name in result.missing:
                slot = parsing.FIELD_TO_SLOT.get(field_name)
                if slot and parsing.parse_slot(slot, tracker.slots.get(slot)) is None:
                    if slot not in counts:
                        order.append(slot)
                    counts[slot] = counts.get(slot, 0) + 1
            if group is None and order:
                return order[0]
    if not order:
        return None
    return max(order, key=lambda slot: (counts[slot], -order.index(slot)))


CONFIDENT_RATIO = 2.0  # the first search hit scores twice the second: that is the benefit meant


def rule_ids(client: PortalClient, lang: str) -> set[str]:
    """The benefits the rule engine answers for (asked once per question, not hard-coded here)."""
    return {r.benefit for r in client.check_eligibility({}, None, lang=lang)}


def benefits_by_search(client: PortalClient, query: str, lang: str) -> tuple[list[str], bool]:
    """The checkable benefits the portal's search finds for `query`, best first, and whether the first is
    clearly the one meant (it scores twice the next one)."""
    if not query.strip() or query.startswith("/"):
        return [], False
    hits = client.search(query, lang=lang, limit=5).results
    rules = rule_ids(client, lang)
    checkable = [h for h in hits if h.id in rules]
    confident = (
        bool(checkable)
        and hits[0].id == checkable[0].id
        and (len(hits) == 1 or hits[0].score >= CONFIDENT_RATIO * hits[1].score)
    )
    return [h.id for h in checkable], confident


def say_understood(dispatcher: CollectingDispatcher, facts: dict[str, Any], lang: str) -> None:
    """One short sentence with what was understood (72岁，肢体残疾，二级 ...)."""
    labels = messages()["fact_labels"]
    parts: list[str] = []
    for slot in PROFILE_SLOTS:
        if slot not in facts or slot == "multiple_includes":
            continue
        value = facts[slot]
        entry = labels.get(slot) or {}
        if isinstance(value, bool):
            entry = entry.get("true" if value else "false") or {}
        elif slot == "disability_category" and value == "multiple" and facts.get("multiple_includes"):
            names = [(labels[slot].get(c) or {}).get(lang, c) for c in facts["multiple_includes"]]
            parts.append(("、" if lang == "zh" else " and ").join(names))
            continue
        elif isinstance(entry, dict) and str(value) in entry:
            entry = entry[str(value)]
        template = entry.get(lang) or entry.get("zh") if isinstance(entry, dict) else None
        if template:
            parts.append(str(template).format(value=value))
    if parts:
        say(dispatcher, "understood", lang, facts=text("understood_separator", lang).join(parts))


def benefit_before_this_message(tracker: Tracker) -> Any:
    """The `benefit` slot as it was before the latest user message."""
    value = before = None
    for event in tracker.events:
        if event.get("event") == "user":
            before = value
        elif event.get("event") == "slot" and event.get("name") == "benefit":
            value = event.get("value")
    return before


def earlier_user_texts(tracker: Tracker) -> list[str]:
    """What the resident wrote before the latest message, oldest first."""
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    return texts[:-1]


class ValidateEligibilityForm(FormValidationAction):
    """Asks only what the engine still needs: required_slots comes from the engine's `missing`."""

    def name(self) -> str:
        return "validate_eligibility_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Every fact of every message first (later ones replace earlier ones), then the usual validation."""
        lang = language_of(tracker)
        message = latest_text(tracker)
        facts = parsing.extract_facts(message)
        events: list[EventType] = []
        for earlier in earlier_user_texts(tracker):  # said before the form started, or between its questions
            for slot, value in parsing.extract_facts(earlier).items():
                if slot not in facts and parsing.parse_slot(slot, tracker.slots.get(slot)) is None:
                    events.append(SlotSet(slot, value))
        requested = tracker.get_slot("requested_slot")
        # "不对，是二级" answers no question; "他是二级" to a yes/no question is not a yes
        if (
            requested in PROFILE_SLOTS
            and requested not in facts
            and tracker.get_slot(requested) is not None
            and (parsing.is_correction(message) or (facts and requested in parsing.BOOL_FIELDS))
        ):
            events.append(SlotSet(requested, None))
        earlier_benefit = benefit_before_this_message(tracker)
        named = parsing.benefit_named(message)  # the words' own benefit beats an entity tagged on a fact
        if named and tracker.get_slot("benefit") != named:
            events.append(SlotSet("benefit", named))
            earlier_benefit = None
        if earlier_benefit and tracker.get_slot("benefit") != earlier_benefit and facts and not named:
            # the entity was tagged on a fact (屋头是低保, 有残疾证): the conversation stays on its benefit
            events.append(SlotSet("benefit", earlier_benefit))
        events += [SlotSet(slot, value) for slot, value in facts.items()]
        tracker.add_slots(events)
        chosen = self._benefit_from_question(dispatcher, tracker, message, lang)
        tracker.add_slots(chosen)
        events += chosen
        if facts and (set(facts) != {requested} or parsing.is_correction(message)):  # a plain answer needs no echo
            say_understood(dispatcher, facts, lang)
        return events + await super().run(dispatcher, tracker, domain)

    @staticmethod
    def _benefit_from_question(
        dispatcher: CollectingDispatcher, tracker: Tracker, message: str, lang: str
    ) -> list[EventType]:
        """ "What can I get?" checks every benefit, or those the resident's need points to (the portal's search
        on the words left when the question is taken out: 瘫痪在床 -> nursing and care). A question that names
        no benefit we know ("can he get free rehab?") is resolved by the search when it is clear."""
        wants_all = parsing.asks_for_all_benefits(message)
        if not wants_all and (
            tracker.get_slot("benefit") or tracker.get_slot("requested_slot") or not parsing.extract_facts(message)
        ):
            return []
        client = portal_client()
        try:
            if wants_all:
                need = parsing.strip_question(message)
                pointed, _sure = benefits_by_search(client, need, lang) if need else ([], False)
                return [SlotSet("benefit", group_value(pointed))]
            named = parsing.benefit_named(message)
            if named:
                return [SlotSet("benefit", named)]
            found, sure = benefits_by_search(client, message, lang)
        except (PortalUnavailable, ProfileRejected) as exc:
            logger.warning("portal unavailable: %s", exc)
            return [SlotSet("benefit", group_value([]))] if wants_all else []
        if sure:
            return [SlotSet("benefit", found[0])]
        return [SlotSet("benefit", group_value(found[:3]))] if len(found) > 1 else []

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if not tracker.slots.get("benefit"):
            return ["benefit"]
        known = [
            s for s in PROFILE_SLOTS if parsing.parse_slot(s, tracker.slots.get(s), latest_intent(tracker)) is not None
        ]
        missing = next_missing_slot(tracker, portal_client())
        return ["benefit"] + known + ([missing] if missing and missing not in known else [])

    async def validate_benefit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if benefit_group(value) is not None:
            return {"benefit": value}
        lang = language_of(tracker)
        client = portal_client()
        query = latest_text(tracker)
        try:
            if parsing.mentions_two_subsidies(value) or parsing.mentions_two_subsidies(query):
                two = query if parsing.mentions_two_subsidies(query) else str(value)
                offer_choices(dispatcher, client, two, "inform", lang)
                return {"benefit": None}
            policy = client.get_policy(parsing.benefit_named(value) or str(value), lang)
            if policy is not None:
                return {"benefit": policy.id}
            found, sure = benefits_by_search(client, str(value), lang)
            if not sure and query != str(value):
                found, sure = benefits_by_search(client, query, lang)
            if sure:
                policy = client.get_policy(found[0], lang)
                if policy is not None:
                    say(dispatcher, "checking_benefit", lang, title=policy.title)
                    return {"benefit": policy.id}
            if not offer_choices(dispatcher, client, str(value), "inform", lang):
                say(dispatcher, "invalid.benefit", lang, with_buttons="ask.benefit")
        except PortalUnavailable as exc:
            logger.warning("portal unavailable: %s", exc)
            return {"benefit": value}  # the form ends; the result action explains the outage
        return {"benefit": None}


_INVALID_KEY = {slot: ("yes_no" if slot in parsing.BOOL_FIELDS else slot) for slot in PROFILE_SLOTS}


def _make_validator(slot: str) -> Callable[..., dict[str, Any]]:
    def validate(
        self: ValidateEligibilityForm,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        parsed = parsing.parse_slot(slot, value, latest_intent(tracker))
        if parsed is None and value is not None:
            lang = language_of(tracker)
            say(dispatcher, f"invalid.{_INVALID_KEY[slot]}", lang, with_buttons=f"ask.{slot}")
        return {slot: parsed}

    validate.__name__ = f"validate_{slot}"
    validate.__doc__ = f"Parse the answer for `{slot}` into its profile value, or reject it."
    return validate


for _slot in PROFILE_SLOTS:
    setattr(ValidateEligibilityForm, f"validate_{_slot}", _make_validator(_slot))


class ActionEligibilityResult(Action):
    """After the form: the engine's answer with its reasons, next step and sources."""

    def name(self) -> str:
        return "action_eligibility_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = language_of(tracker)
        benefit = tracker.get_slot("benefit")
        client = portal_client()
        group = benefit_group(benefit)
        if group is not None:
            return answer_group(dispatcher, client, group, parsing.build_profile(tracker.slots), lang)
        try:
            policy = client.get_policy(benefit, lang) if benefit else None
            if policy is None:
                say(dispatcher, "policy_not_found", lang)
                return [SlotSet("benefit", None)]
            values = _policy_values(policy)
            if not policy.eligibility_rule:
                say(dispatcher, "no_eligibility_rule", lang, **values)
                return []
            profile = parsing.build_profile(tracker.slots)
            results = client.check_eligibility(profile, [policy.eligibility_rule], lang=lang)
        except PortalUnavailable as exc:
            logger.warning("portal unavailable: %s", exc)
            say(dispatcher, "portal_unavailable", lang)
            return []
        except ProfileRejected as exc:
            slot = parsing.FIELD_TO_SLOT.get(exc.field)
            say(dispatcher, "eligibility_bad_answer", lang, field=exc.field, message=exc.message)
            return [SlotSet(slot, None)] if slot else []
        for result in results:
            status = (
                result.status
                if result.status in ("eligible", "not_eligible", "needs_review", "need_more_info")
                else "needs_review"
            )
            say(
                dispatcher,
                f"eligibility_{status}",
                lang,
                reasons=join(result.reasons, lang) or "-",
                next_step=result.next_step or "-",
                sources=join(result.sources, lang) or "-",
                **{**values, "title": policy.title},
            )
        dispatcher.utter_message(json_message={"eligibility": [decision(policy, r.status) for r in results]})
        return []


def decision(policy: Policy, status: str) -> dict[str, Any]:
    """One machine-readable decision of /api/v1/chat: benefit and status, plus what a result card links to."""
    apply_url = policy.apply_url if status in ("eligible", "needs_review") else None
    return {"benefit": policy.id, "status": status, "title": policy.title, "url": policy.url, "apply_url": apply_url}


def answer_group(
    dispatcher: CollectingDispatcher, client: PortalClient, group: list[str], profile: dict[str, Any], lang: str
) -> list[EventType]:
    """Every benefit (or those a need points to), grouped like the web checker, each with its reason and link."""
    try:
        results = client.check_eligibility(profile, group or None, lang=lang)
        policies = {r.benefit: client.get_policy(r.benefit, lang) for r in results}
    except PortalUnavailable as exc:
        logger.warning("portal unavailable: %s", exc)
        say(dispatcher, "portal_unavailable", lang)
        return []
    except ProfileRejected as exc:
        slot = parsing.FIELD_TO_SLOT.get(exc.field)
        say(dispatcher, "eligibility_bad_answer", lang, field=exc.field, message=exc.message)
        return [SlotSet(slot, None)] if slot else []
    lines = [text("all_results", lang, count=len(results))]
    sources: list[str] = []
    cards: list[dict[str, Any]] = []
    for status in STATUS_ORDER:
        chosen = [r for r in results if r.status == status and policies.get(r.benefit)]
        if not chosen:
            continue
        lines.append(text(f"all_group.{status}", lang) + ("：" if lang == "zh" else ":"))
        for result in chosen:
            policy = policies[result.benefit]
            card = decision(policy, status)
            cards.append(card)
            lines.append(
                text(
                    "all_item",
                    lang,
                    title=policy.title,
                    reason=(result.reasons or [""])[0],
                    link=card["apply_url"] or policy.url,
                )
            )
            sources += [x for x in result.sources if x not in sources]
    if sources:
        lines.append(text("all_sources", lang, sources=join(sources[:4], lang)))
    dispatcher.utter_message(text="\n".join(lines))
    dispatcher.utter_message(json_message={"eligibility": cards})
    return []


# --- asking for slots (form questions with buttons, in the user's language) --------------------


class AskSlotAction(Action, ABC):
    """`action_ask_<slot>`: the form's question for one slot, from messages.yml `ask.<slot>`."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this action asks for."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        say(dispatcher, f"ask.{self.slot}", language_of(tracker), with_buttons=f"ask.{self.slot}")
        field_name = parsing.SLOT_TO_FIELD.get(self.slot)
        if field_name or self.slot == "benefit":
            dispatcher.utter_message(json_message={"asks": field_name or "benefit"})
        return []


class ActionAskBenefit(AskSlotAction):
    """Which benefit? When the resident said “两项补贴”, offer exactly those two."""

    slot = "benefit"  # type: ignore[assignment]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        query = latest_text(tracker)
        if parsing.mentions_two_subsidies(query):
            try:
                offer_choices(dispatcher, portal_client(), query, "inform", language_of(tracker))
                return []
            except PortalUnavailable as exc:
                logger.warning("portal unavailable: %s", exc)
        return await super().run(dispatcher, tracker, domain)


# Keep strong references: the SDK finds actions through Action.__subclasses__ (weak references).
ASK_ACTIONS = {
    slot: type(f"ActionAsk_{slot}", (AskSlotAction,), {"slot": slot, "__module__": __name__})
    for slot in (*PROFILE_SLOTS, *COMPLAINT_SLOTS)
    if slot != "complaint_confirm"
}


# --- complaint ----------------------------------------------------------------------------------


class ValidateComplaintForm(FormValidationAction):
    def name(self) -> str:
        return "validate_complaint_form"

    @staticmethod
    def _text(slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        cleaned = str(value or "").strip()
        if not cleaned or cleaned.startswith("/"):
            say(dispatcher, "invalid.complaint_text", language_of(tracker))
            return {slot: None}
        return {slot: cleaned[:MAX_COMPLAINT_CHARS]}

    def validate_complaint_what(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._text("complaint_what", value, dispatcher, tracker)

    def validate_complaint_where(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._text("complaint_where", value, dispatcher, tracker)

    def validate_complaint_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parsing.parse_bool(value, latest_intent(tracker)) is False:
            return {"complaint_contact": "-"}  # the resident chose to leave no contact
        return self._text("complaint_contact", value, dispatcher, tracker)

    def validate_complaint_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes files it; no starts again (nothing is sent); anything else asks again."""
        answer = parsing.parse_bool(value, latest_intent(tracker))
        lang = language_of(tracker)
        if answer is None:
            say(dispatcher, "invalid.yes_no", lang)
            return {"complaint_confirm": None}
        if answer is False:
            say(dispatcher, "complaint_not_sent", lang)
            return {slot: None for slot in COMPLAINT_SLOTS}
        return {"complaint_confirm": True}


class ActionAskComplaintConfirm(Action):
    """Reads back what will be sent before anything is filed."""

    def name(self) -> str:
        return "action_ask_complaint_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = language_of(tracker)
        contact = tracker.get_slot("complaint_contact")
        dispatcher.utter_message(
            text=text(
                "ask.complaint_confirm",
                lang,
                what=tracker.get_slot("complaint_what") or "",
                where=tracker.get_slot("complaint_where") or "",
                contact=text("no_contact", lang) if contact in (None, "-") else contact,
            ),
            buttons=buttons("ask.complaint_confirm", lang),
        )
        return []


class ActionSubmitComplaint(Action):
    """Files the complaint as a 12385 petition through the portal and reads back the reference and the access
    code; when the portal cannot take it, says so and gives the 12385 hotline."""

    def name(self) -> str:
        return "action_submit_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = language_of(tracker)
        what = tracker.get_slot("complaint_what") or ""
        where = tracker.get_slot("complaint_where") or ""
        contact = tracker.get_slot("complaint_contact")
        contact = None if contact in (None, "-") else contact
        # one conversation, one complaint text: a retried action files one petition, not two
        key = hashlib.sha256(f"{tracker.sender_id}\x00{what}\x00{where}\x00{contact}".encode()).hexdigest()
        try:
            filed = portal_client().file_petition(what, where, contact, lang=lang, key=key)
        except PortalUnavailable as exc:
            logger.warning("portal unavailable: %s", exc)
            filed = None
        if filed is not None:
            say(
                dispatcher,
                "complaint_filed",
                lang,
                reference=filed.reference,
                access_code=filed.access_code,
                acknowledge_by=filed.acknowledge_by,
                provisional=text("provisional", lang) if filed.provisional else "",
            )
        else:
            say(
                dispatcher,
                "complaint_received",
                lang,
                what=what,
                where=where,
                contact=contact or text("no_contact", lang),
            )
        return [SlotSet(slot, None) for slot in COMPLAINT_SLOTS]


# --- status by reference -----------------------------------------------------------------------------


class ActionCheckStatus(Action):
    """The status of a complaint (reference + access code) or an application (reference + the applicant's ID
    number, sent to the portal and never shown back); with a reference missing, says what to send."""

    def name(self) -> str:
        return "action_check_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = language_of(tracker)
        recent = " ".join([*earlier_user_texts(tracker)[-1:], latest_text(tracker)])
        reference, code, id_number = parsing.status_codes(latest_text(tracker))
        if reference is None:
            reference, code, id_number = parsing.status_codes(recent)
        kind = (
            "application"
            if (reference or "").startswith("A")
            or (reference is None and latest_intent(tracker) == "ask_application_status")
            else "complaint"
        )
        secret = id_number if kind == "application" else code
        if reference is None or secret is None:
            say(dispatcher, f"status_how_{kind}", lang)
            return []
        client = portal_client()
        try:
            if kind == "application":
                found = client.application_status(reference, secret, lang)
            else:
                found = client.petition_status(reference, secret, lang)
        except PortalUnavailable as exc:
            logger.warning("portal unavailable: %s", exc)
            say(dispatcher, "portal_unavailable", lang)
            return []
        if found is None:
            say(dispatcher, "status_not_found", lang, secret=text(f"status_secret.{kind}", lang))
            return []
        if kind == "application":
            say(
                dispatcher,
                "status_application",
                lang,
                reference=reference,
                status=str(found.get("status_text") or found.get("status")),
            )
            return []
        labels = messages()["petition_statuses"]
        status = str(found.get("status"))
        deadlines = found.get("deadlines") or {}
        deadline = ""
        for key in ("review_reply_by", "resolve_by", "acknowledge_by"):
            if deadlines.get(key):
                deadline = text(
                    "status_deadline",
                    lang,
                    label=text(f"petition_deadlines.{key}", lang),
                    date=deadlines[key],
                    provisional=text("provisional", lang) if deadlines.get("provisional") else "",
                )
                break
        say(
            dispatcher,
            "status_complaint",
            lang,
            reference=reference,
            deadline=deadline,
            status=(labels.get(status) or {}).get(lang) or status,
        )
        return []


# --- fallback (overrides of Rasa's default actions, so they speak the user's language) ----------


class ActionDefaultAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = language_of(tracker)
        ranking = tracker.latest_message.get("intent_ranking") or []
        candidates = [r.get("name") for r in ranking if r.get("name") != "nlu_fallback"]
        intent = candidates[0] if candidates else latest_intent(tracker)
        labels = messages()["intent_labels"]
        if intent in labels:
            label = labels[intent].get(lang) or labels[intent]["zh"]
            dispatcher.utter_message(
                text=text("ask_affirmation", lang, label=label), buttons=buttons("ask_affirmation", lang, intent=intent)
            )
        else:
            say(dispatcher, "ask_rephrase", lang)
        return []


class ActionDefaultAskRephrase(Action):
    def name(self) -> str:
        return "action_default_ask_rephrase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        say(dispatcher, "ask_rephrase", language_of(tracker))
        return []


class ActionDefaultFallback(Action):
    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        say(dispatcher, "default_fallback", language_of(tracker))
        return [UserUtteranceReverted()]
