"""English summaries and fix hints of the diagnostic codes, beside the Chinese ones in each Code.

A test checks that every code in the catalogue has its English here, so the two cannot drift apart.
"""

from __future__ import annotations

EN: dict[str, tuple[str, str]] = {
    "YAML001": ("YAML syntax error", "Check indentation, the space after each colon, quotes and brackets"),
    "YAML002": ("Duplicate key at one level", "Remove or merge the duplicate; YAML keeps only one of the values"),
    "YAML003": ("File is not UTF-8 (read as GB18030/GBK)", "Save as UTF-8 in the editor, or run yjstation fmt"),
    "YAML004": ("File holds bytes that cannot be decoded", "Save the file again as UTF-8"),
    "YAML005": ("File is empty", "Fill it in, or delete the empty file"),
    "YAML006": ("Top level is not a `key: value` mapping", "The top level must be `key: value` pairs, not a list"),
    "YAML007": ("File too large", "Split it: one file per station, one record per station and month"),
    "YAML008": (
        "Too many alias expansions, a recursive alias or too deep nesting",
        "Write the data out instead of repeating it with `&anchor` / `*alias`",
    ),
    "YAML009": ("Unsupported YAML", "Drop custom tags (!x), .inf/.nan and complex keys; use plain text or numbers"),
    "SCH001": ("Required field missing", "Add the field"),
    "SCH002": ("Wrong type of value", "Write text, a number, a date, true/false or a list as the field requires"),
    "SCH003": ("Value not allowed", "Choose one of the allowed codes"),
    "SCH004": ("Unknown key (misspelt or at the wrong level)", "Check the key's spelling and indentation"),
    "SCH005": ("Number out of range", "Counts and money cannot be negative; shares lie between 0 and 1"),
    "SCH006": ("Wrong format", "Dates as YYYY-MM-DD, months as YYYY-MM, ids in lowercase letters, digits and hyphens"),
    "SCH009": ("Does not match the data structure", ""),
    "ID001": ("ID number malformed", "A resident ID has 18 characters: 17 digits and a digit or X; quote it"),
    "ID002": ("Wrong ID check digit", "Compare the ID number digit by digit; a typo or two swapped digits is usual"),
    "ID003": ("Birth date in the ID number does not exist", "Characters 7-14 are the birth date YYYYMMDD"),
    "ID004": (
        "Area code of the ID number is not in the division code table",
        "Check the first six digits; ignore if they are right",
    ),
    "ID005": ("Birth date disagrees with the ID number", "Correct the birth date from the ID card, or the ID number"),
    "ID006": (
        "Gender disagrees with the ID number",
        "The 17th digit is odd for men and even for women; correct gender or ID number",
    ),
    "ID007": ("Stationmaster under 18 when applying or signing", "A stationmaster must be an adult"),
    "ID008": ("Mobile number malformed", 'A mobile number has 11 digits starting with 1, e.g. "13800000000"; quote it'),
    "ID009": ("Stationmaster has a bad credit record", "The plan admits only stationmasters with a clean record"),
    "ID011": (
        "No credit check recorded by the approval or signing",
        "Check the credit record, then fill in stationmaster.good_credit and stationmaster.credit_checked",
    ),
    "ID012": ("Credit checked after the approval", "Check the credit record before approving the application"),
    "ID010": (
        "Same ID or mobile number at several stations",
        "Check for a typing error; one person running two stations needs the centre's consent",
    ),
    "ST001": ("Station id differs from the file name", "Make `id` equal the file name without .yaml, or rename"),
    "ST002": ("Township not in county.yaml", "Use the id of a township in data/county.yaml"),
    "ST003": ("Village station without its village", "Fill in `village`"),
    "ST004": (
        "Village not in the township's register (by name or statistical code)",
        "Correct `village` (its name) or `village_code` (12 digits) from data/county.yaml's register",
    ),
    "ST005": ("Two stations in one village", "One village station per administrative village"),
    "ST006": ("Two township stations in one township", "One township station per township"),
    "ST007": ("Station count differs from the targets", "Check the station files or the targets in county.yaml"),
    "ST008": ("Station has no broadband", "Connect broadband first; an exception needs the centre's approval"),
    "ST009": ("Station area outside 20-30 m²", "Check the area; explain a deviation in the notes"),
    "ST010": ("Poverty-village flag differs from county.yaml", "Take `poverty_village` from the county register"),
    "ST011": (
        "Application approved without the village committee's endorsement",
        "Obtain the committee's stamp before approval",
    ),
    "ST012": ("Application, approval and signing out of order", "Application <= approval <= signing of the agreement"),
    "ST013": ("Station not co-built with a logistics point", "Set true once the point is co-built"),
    "AG001": (
        "Agreement dates out of order",
        "Signed <= start < end; a renewal is signed after the original and ends later",
    ),
    "AG002": (
        "Operating station without an agreement in force",
        "Renew (record it in agreement.renewals) or record the closing date `closed`",
    ),
    "AG003": ("Agreement number used twice", "Every agreement has a number of its own"),
    "HI001": (
        "Station history dates out of order",
        "Former stationmasters in order of office, each leaving before the next took office; a suspension ends"
        " after it starts; a recorded closure needs the closing date `closed`",
    ),
    "HI002": (
        "Agreement ended early without enough notice",
        "Check `closure.notice_date`; a breach is handled as the agreement's article 4 says, explained in the notes",
    ),
    "AG004": (
        "Agreement without the application, the committee's endorsement or the centre's approval",
        "Record stationmaster.application: submitted, village_committee_endorsed: true and approved",
    ),
    "RO001": ("Step marked done without all its evidence", "Add the evidence, or remove the step's `done` date"),
    "RO002": ("Step done before an earlier step", "Every earlier step must be done on or before this one"),
    "RO003": ("Done date after today (--as-of)", "A done date cannot lie in the future"),
    "RO004": ("Evidence dated after the step's done date", "Evidence comes before the step is done"),
    "RO006": (
        "A done step's evidence lacks the content the plan lists",
        "Complete it: route points with distances, the seven items per express company, indicator targets and actuals",
    ),
    "RO005": (
        "Rollout policy is not the plan's eight steps",
        "data/policy/rollout.yaml lists layout, market_survey, confirmation, agreement, fit_out, training, "
        "maintenance, upgrade in that order",
    ),
    "FE001": ("Posted fee over the red line", "Lower the posted fee within the red line and post it again"),
    "FE002": (
        "Operating station without a posted fee notice",
        "Post the fee notice visibly, then set `fees.notice_posted` to true",
    ),
    "FE003": ("Average fee per order over the red line", "Check orders and fees; refund what was overcharged"),
    "FE004": ("Purchase-agency fees over 1% of the amount", "Check the amount and the fees"),
    "FE005": ("Consignment rebate is not 5% of sales", "Rebate = sales x 5%, rounded half up to the fen"),
    "FE006": ("Fee charged for a free convenience service", "Convenience services are free; refund the fee"),
    "FE007": ("Deposit taken from villagers", "Return the deposit; `deposits_from_villagers` must be 0"),
    "FE008": ("Fees or amounts without orders", "With fees or amounts the order count cannot be 0"),
    "FE009": ("Highest single fee over the red line", "No single order may exceed the red line"),
    "FE010": ("No fee schedule in force on that date", "Add an earlier schedule to data/policy/fees.yaml"),
    "FE011": (
        "A service offered has no posted price",
        "Post its price in `fees` (per order or a rate); value-added services one by one in `fees.value_added`",
    ),
    "FE012": (
        "Charged more than the station's own posted price",
        "Charge the posted price and refund the excess; to change a price, post the new schedule first",
    ),
    "TR001": ("Training module not in the training plan", "Use a module id from data/policy/training.yaml"),
    "TR002": ("Training phase does not match the module", "Record the phase the module belongs to"),
    "TR003": ("Training date outside the phase's window", "Check the date; explain a make-up session in the notes"),
    "TR004": (
        "Serving villagers before completing phase 1, after phase 1 ended",
        "Complete every phase-1 module first (one-to-one or online catch-up), recorded under `training`",
    ),
    "TR005": (
        "Serving villagers during phase 1 before completing it",
        "Complete every phase-1 module before the phase ends; after that it is an error",
    ),
    "OP001": ("Monthly record of an unknown station", "`station` must be the id of a file in data/stations/"),
    "OP002": ("Month differs from the folder", "Set `month` to the folder's name, or move the file"),
    "OP003": ("Station id differs from the file name", "Make `station` equal the file name, or rename"),
    "OP004": ("Station not operating in that month", "Check the station's fit-out and closing dates"),
    "OP005": ("Date outside the record's month", "Record each entry in the month it happened"),
    "DOC001": (
        "A field a due document needs is missing",
        "Fill it in; `yjstation rules` lists which document needs which field, and from which step",
    ),
    "AS001": ("Targets issued to a station that does not exist", "Use a station id from data/stations/"),
    "EV001": ("Event names a station that does not exist", "Use station ids from data/stations/"),
    "EV002": ("Event id differs from the file name", "Make `id` equal the file name, or rename the file"),
    "EV003": (
        "Selection without who decided, the criteria or the result",
        "A selection is the centre's decision: fill in decided_by, criteria and selected",
    ),
    "EV004": (
        "Selected stationmaster differs from the station file",
        "Check the name; if the stationmaster changed, name the one in office and say so in the notes",
    ),
    "OP006": (
        "Feedback status contradicts its closing date",
        "closed needs a closing date not before the report; open has none",
    ),
    "OP007": (
        "Monthly figures not reported by the deadline",
        "Chase the stationmaster, enter the figures and the `reported` date (yjstation export month / import month)",
    ),
    "OP008": (
        "A reported record has an empty figure",
        "Fill it in (0 when there was no business), or empty `reported`",
    ),
    "OP009": (
        "Figures filled in a draft without the reported date",
        "Fill in `reported` once the figures are complete; reports leave drafts out until then",
    ),
    "WV001": ("Waiver expired", "Renew it (update expires) or delete it; the finding fails again"),
    "WV002": ("Waiver names a code that does not exist", "Use a code from docs/rules.md"),
    "WV003": ("Waiver names an unknown station or file", "Check the station id or file path"),
    "WV004": ("Waiver matches no finding", "Delete the waiver once the problem is solved"),
    "FMT001": ("Formatting would change the data", "Report this file to yjstation's maintainers"),
    "FMT002": (
        "Formatting would lose a comment inside braces or brackets",
        "Move the comment onto a line of its own, or write the mapping one item per line",
    ),
    "FMT003": (
        "Formatting cannot read the file: a date that does not exist",
        "Write a real date as YYYY-MM-DD, or put text in quotes",
    ),
    "FILE002": (
        "Cannot be read: not a regular file, no permission, or a link loop",
        "A data file must be a readable plain YAML file: remove the pipe, device or broken link, or fix its permissions",
    ),
    "FILE003": (
        "Temporary file left by an interrupted edit",
        "Check the data file itself is intact (yjstation validate), then delete the temporary file",
    ),
    "FILE001": (
        "Unrecognised file under data/",
        "Place files as data/stations/<id>.yaml and data/operations/<YYYY-MM>/<id>.yaml",
    ),
    "RULE000": ("A rule failed (a defect in yjstation)", "Report this message and the data file to the maintainers"),
}
