package demo

import (
	"github.com/exportctl/exportctl"
)

// Party role and type shorthands.
const (
	armedForces = "armed_forces"
	government  = "government"
	commercial  = "commercial"
	police      = "police"
	ultimate    = exportctl.PartyUltimateEndUser
	intermed    = exportctl.PartyIntermediateConsg
	agent       = exportctl.PartyAgent
)

// Finding shorthands.
const (
	noRisk    = exportctl.FindingNoRisk
	mitigated = exportctl.FindingRiskMitigated
	clearRisk = exportctl.FindingClearRisk
)

// The 2024 Israel review suspended licences for items that could be used in
// the conflict in Gaza; each suspension names the category it fell under.
const israelReview = "Suspended following the 2024 review of Israel's compliance with international humanitarian law: " +
	"clear risk under Criterion 2c. The review found a clear risk that %s might be used to commit or facilitate a serious " +
	"violation of IHL in the conflict in Gaza, having regard to the conduct of hostilities, humanitarian relief and access, " +
	"and the treatment of detainees. No exports may be made under this licence until further notice; the licence remains " +
	"extant and will be reconsidered if the assessment changes."

const issuedIsraelPre2024 = "Approved on FCDO and MOD advice. On the information available at the evidence cut-off, " +
	"no clear risk under Criterion 2c was identified for these items; the end user's compliance with IHL is kept under review."

// Conditions the advisers attach to licences.
const (
	noReexport     = "No re-export without prior UK consent"
	monitoringAt12 = "End-use monitoring visit within 12 months"
)

// fcdoIsraelSpares is the FCDO's advice on Israel cases before the 2024 review.
const fcdoIsraelSpares = "FCDO's IHL assessment (latest fortnightly update): no determination that Israel is not committed to complying with IHL in the conduct of hostilities. " +
	"The items sustain existing platforms and are not themselves assessed as items that would be used to commit or facilitate a serious violation. " +
	"No clear risk at the cut-off; to be reconsidered if the assessment changes."

// cases is the scenario: every application, its path through the workflow
// and what later happens to its licence.
func cases() []caseSpec {
	return []caseSpec{
		// ---------------------------------------------------------------
		// Northbridge Aerospace Ltd: military aircraft components (ML10).
		// ---------------------------------------------------------------
		{
			// The senior official rejects the first final advice as too thin;
			// the officer writes it again and it is countersigned.
			key: "northbridge-f16-israel", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Spares for the Israeli Air Force F-16I Sufa fleet under a five-year support contract: landing-gear and flight-control components replaced at scheduled maintenance.",
				goods(
					good("Main landing gear retraction actuator assemblies, hydraulic, part no. NB-4471-03", "ML10a", 36, "item", 612000, "F-16"),
					good("Trailing-edge flap servo-actuator seal kits", "ML10a", 220, "set", 94600, "F-16"),
					good("Maintenance manuals and illustrated parts catalogue for the above actuators", "ML22a", 1, "document", 0, ""),
				),
				endUser("Israeli Air Force", "IL", armedForces, "Operator of the F-16I fleet"),
				consignee("Negev Aero Maintenance Ltd", "Industrial Zone, Be'er Sheva", "IL"),
				party(agent, "Thames Freight Forwarding Ltd", "Unit 4, Heathrow Cargo Centre, Hounslow", "GB", commercial, "Freight forwarder"),
			),
			review: review{
				fcdo: approves(fcdoIsraelSpares),
				mod: conditional(noReexport+"; the exporter reports quarterly the quantities shipped under the licence",
					"Spares under an established F-16I support contract; quantities match the fleet's scheduled maintenance. Quarterly reporting lets the licence be reviewed quickly if the IHL assessment changes."),
				findings: []exportctl.Finding{
					finding("2c", mitigated, "The actuators and seal kits keep the Israeli Air Force's F-16I fleet airworthy, and that fleet has flown strike missions over Gaza since October 2023. "+
						"They are not weapons or targeting items, but without them the aircraft would not fly: the assessment therefore treats them as capable of facilitating strikes. "+
						"At the evidence cut-off the FCDO had not determined that Israel is not committed to complying with IHL in the conduct of hostilities; the OHCHR thematic report's "+
						"concerns about six strikes are recorded and were put to the Israeli government. The risk is mitigated by the quarterly reporting condition, which allows suspension "+
						"within days if the FCDO's assessment changes, and by the end user's written assurances. Finding: risk mitigated, not a clear risk."),
				},
				final: exportctl.FinalAdviceInput{Reasons: "Recommend issue subject to MOD's conditions. FCDO and MOD both approve. The decisive criterion is 2c: the assessment finds that the " +
					"actuators and seal kits could facilitate F-16I strikes in Gaza, but that at the evidence cut-off the FCDO had made no determination against Israel's commitment to IHL in the " +
					"conduct of hostilities, and that quarterly reporting of shipments lets the licence be suspended at once if that changes. Criteria 1, 3-8 raise no concern: no embargo, " +
					"an established support contract, a reliable end user and consignee. The case is sensitive (risk finding under 2c) and needs the senior official's countersignature."},
			},
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(
				assess(),
				finalAdviceAs(exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendIssue, Reasons: "Recommend issue: FCDO and MOD approve."}),
				countersignFirst(),
				rejectCountersign("senior", "Rejected: the final advice is too thin to support a decision on a sensitive case. It does not engage with the assessment's finding "+
					"on Criterion 2c (risk mitigated) or say why the mitigation is adequate for components of combat aircraft in current use over Gaza, it does not mention the evidence "+
					"cut-off, and it leaves out the conditions MOD attached to its advice. Please revise."),
				finalAdvice(),
				countersign(),
				issue(issuedIsraelPre2024),
			)),
		},
		{
			key: "northbridge-f35-israel-direct", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Direct supply of spares to the Israeli Air Force for its F-35I Adir aircraft, outside the global spares pool.",
				goods(
					good("Fuel boost pump housings, machined aluminium", "ML10a", 48, "item", 388000, "F-35"),
					good("Arrestor hook damper assemblies", "ML10a", 12, "item", 276000, "F-35"),
				),
				endUser("Israeli Air Force", "IL", armedForces, "Operator of the F-35I fleet"),
				consignee("Israel Ministry of Defense, Procurement Mission", "Tel Aviv", "IL"),
			),
			review: review{
				fcdo: approves(fcdoIsraelSpares),
				mod:  approves("Airframe spares supplied directly to the F-35I operator under the programme's direct commercial sales route; no technology concerns beyond the programme's own release."),
				findings: []exportctl.Finding{
					finding("2c", mitigated, "The fuel boost pump housings and arrestor hook dampers are airframe spares for the Israeli Air Force's F-35I Adir fleet, which has taken part in "+
						"operations over Gaza and in strikes in Lebanon and Iran. Supplied directly to Israel rather than through the global pool, they can be attributed to the F-35I fleet. "+
						"At the cut-off the FCDO's assessment had reached no determination against Israel on the conduct of hostilities; the concerns recorded in the IHL findings on humanitarian "+
						"access and detainees do not bear on airframe spares. Finding: risk mitigated, to be reviewed with each FCDO update."),
				},
			},
			path: decided(issue(issuedIsraelPre2024)),
		},
		{
			// The departure: issued despite a clear risk under 2c, as a carve-out.
			key: "northbridge-f35-global-spares", exporter: "northbridge",
			in: application("OIEL", exportctl.ExportIncorporation,
				"Incorporation into F-35 Lightning II aircraft and into spares held in the F-35 global spares pool, from which spares are allocated to partner and customer nations by the programme office.",
				goods(
					good("Rear fuselage skin panel assemblies", "ML10a", 1, "set", 0, "F-35"),
					good("Lift-fan clutch housing castings", "ML10d", 1, "set", 0, "F-35"),
					good("Weapons bay door hinge fittings", "ML10a", 1, "set", 0, "F-35"),
				),
				endUser("Lone Star Airframe Integration LLC (F-35 prime contractor)", "US", commercial, "Prime contractor; holds the global spares pool"),
				consignee("Lone Star Airframe Integration LLC", "Fort Worth, Texas", "US"),
				party(ultimate, "F-35 partner and customer nations (global spares pool)", "", "US", government, "Final users are determined by the programme, not by the exporter"),
			),
			review: review{
				fcdo: refuses("The global spares pool allocates spares to every F-35 operator, including the Israeli Air Force, without UK control over which nation receives which part. "+
					"The FCDO's IHL assessment finds a clear risk that F-35 components might be used to commit or facilitate a serious violation of IHL in Gaza; the UK cannot exclude "+
					"Israel from allocations. Refuse under Criterion 2c.", "2c"),
				mod: approves("The UK supplies some 15 per cent by value of every F-35. Withholding UK components from the pool would halt spares for all operators, including the RAF, " +
					"the Royal Navy and NATO allies, with serious consequences for UK and allied security (Criterion 5). MOD advises approval."),
				findings: []exportctl.Finding{
					finding("2c", clearRisk, "The components go into the F-35 global spares pool, from which the programme office allocates spares to all operators; the Israeli Air Force "+
						"draws on the pool for its F-35I fleet, which has been used in operations in Gaza. The UK cannot control or trace which operator receives a UK-made part. "+
						"Applying the FCDO's IHL assessment (the 2 September 2024 summary: Israel not committed to complying with IHL on humanitarian access and detainees, and serious "+
						"concerns in the conduct of hostilities), there is a clear risk that components supplied to the pool might be used to commit or facilitate a serious violation of IHL.",
						ukIHLSummary, ohchrGaza, amnestyGaza),
					finding("5", noRisk, "No risk to UK security from supply; the converse applies. The F-35 programme underpins the RAF's and the Royal Navy's combat air capability "+
						"and that of NATO allies, and the pool cannot operate without UK-made parts. Withholding them would harm the security of the UK and its allies: a consideration "+
						"for the decision maker, not a mitigation of the 2c finding."),
				},
				final: exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendRefuse, Criteria: []string{"2c"},
					Reasons: "Recommend refusal under Criterion 2c, as the assessment finds a clear risk and the senior official has resolved the FCDO's and MOD's conflicting advice as a refusal. " +
						"The national-security consequences MOD sets out are real but cannot mitigate a clear-risk finding under the criteria; if ministers wish to weigh them, it must be as a recorded departure."},
			},
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(
				resolve(exportctl.AdviceRefuse, "", "Resolved as a refusal. Once a clear risk under Criterion 2c is found the criteria leave no discretion to officials: the FCDO's "+
					"advice stands. MOD's argument that the programme underpins UK and allied security is a matter for the Secretary of State, who may depart from the criteria with reasons."),
				assess(), finalAdvice(), countersign(),
				issueDeparting("The Secretary of State accepts the finding of a clear risk under Criterion 2c. It is not possible to suspend licences for F-35 components supplied to the "+
					"global spares pool without disrupting the whole F-35 programme, on which the security of the UK, NATO and partners depends, or to exclude Israel from the pool's allocations. "+
					"The licence is issued as a carve-out, recorded and published as a departure. Components supplied directly to Israel remain suspended.",
					exportctl.DepartureInput{Kind: exportctl.DepartureCarveOut,
						Scope: "F-35 components supplied to the multinational F-35 global spares pool",
						Reasons: "The F-35 programme is a multinational programme on which the security of the UK, NATO and partners depends; the UK cannot control onward allocation from the pool " +
							"or exclude Israel from it, and suspending supply to the pool would halt spares for every operator. The carve-out covers only supply to the pool; it is reviewed " +
							"every six months and whenever the FCDO's IHL assessment changes."}),
			)),
		},
		{
			key: "northbridge-ah64-us", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Repair and overhaul spares for US Army AH-64E Apache helicopters.",
				goods(
					good("Tail rotor gearbox bearing retainers", "ML10a", 150, "item", 142500, "AH-64"),
					good("Pilot night-vision sensor turret drive motors", "ML15", 20, "item", 318000, "AH-64"),
				),
				endUser("US Department of Defense (US Army Aviation)", "US", armedForces, ""),
				consignee("Redstone Logistics Support Inc.", "Huntsville, Alabama", "US"),
			),
			path: decided(issue("Approved: allied end user, no concerns raised by advisers.")),
		},
		{
			// In countersigning: the second officer has signed; the senior
			// official's signature is awaited (risk found under 2c).
			key: "northbridge-typhoon-saudi", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Support of the Royal Saudi Air Force Eurofighter Typhoon fleet under the government-to-government support arrangement.",
				goods(
					good("Flight control computer line-replaceable units, refurbished", "ML10a", 8, "item", 2240000, "Eurofighter Typhoon"),
					good("Cockpit multifunction head-down display units", "ML10a", 14, "item", 1106000, "Eurofighter Typhoon"),
				),
				endUser("Royal Saudi Air Force", "SA", armedForces, ""),
				consignee("Riyadh Defence Logistics Co.", "King Salman Air Base, Riyadh", "SA"),
			),
			review: review{
				fcdo: approves("The Typhoon fleet flew strike missions in Yemen until the 2022 truce. The FCDO's 2c assessment (after the 2020 review and the 2023 High Court judgment) finds no " +
					"clear risk while the truce holds and the RSAF's improved targeting procedures remain in place. Approve; the FCDO will advise again if air operations in Yemen resume."),
				mod: conditional(monitoringAt12, "Flight-critical units under the government-to-government support arrangement; UK support staff at King Salman Air Base see the fleet's use. "+
					"An end-use visit within 12 months confirms the units are fitted to the declared aircraft."),
				findings: []exportctl.Finding{
					finding("2c", mitigated, "The flight control computers and cockpit displays are essential to the Royal Saudi Air Force's Typhoons, which flew strike missions in Yemen "+
						"until the April 2022 truce. Past incidents of concern attributed to the coalition are recorded in the IHL findings, with the Court of Appeal's requirement of a "+
						"finding on past violations and pattern met there. Since the truce no coalition air strikes in Yemen have been reported, the RSAF's targeting process has "+
						"improved with UK training, and UK personnel in country see the fleet's use. The risk is mitigated by those facts and by the end-use visit; it would be reassessed "+
						"at once if air operations in Yemen resumed."),
				},
			},
			path: path(upTo(exportctl.StatusCountersigning), steps(countersignFirst())),
		},
		{
			// Conflicting advice: FCDO refuses under 2c, MOD approves; the
			// senior official resolves it as a proviso.
			key: "northbridge-hawk-saudi", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Spares for Hawk advanced jet trainers used for pilot training by the Royal Saudi Air Force.",
				goods(
					good("Hawk Mk165 canopy transparency assemblies", "ML10a", 6, "item", 247000, "Hawk"),
					good("Ejection seat harness and parachute pack kits", "ML10h", 40, "set", 96000, "Hawk"),
				),
				endUser("Royal Saudi Air Force (King Faisal Air Academy)", "SA", armedForces, "Flying training"),
				consignee("Riyadh Defence Logistics Co.", "King Salman Air Base, Riyadh", "SA"),
			),
			review: review{
				fcdo: refuses("The RSAF's Hawk Mk165s can be configured for light attack, and RSAF pilots trained on them fly the aircraft used in Yemen. If hostilities resume, "+
					"the FCDO cannot exclude the use of Hawks in Yemen or their contribution to a serious violation of IHL there. Refuse under Criterion 2c.", "2c"),
				mod: approves("The King Faisal Air Academy's Hawks are used only for advanced flying training. Canopy transparencies and ejection-seat harnesses are safety items: " +
					"they add no combat capability, and withholding them endangers trainee pilots rather than civilians in Yemen."),
				findings: []exportctl.Finding{
					finding("2c", mitigated, "The canopies and seat harnesses are flight-safety spares for the Hawk Mk165 trainers of the King Faisal Air Academy. The FCDO's concern is "+
						"the Hawk's light-attack potential and the training of pilots who later fly combat aircraft; the goods themselves add no weapons or targeting capability. "+
						"With coalition air operations in Yemen stopped since the 2022 truce (see the IHL findings), and the senior official's condition confining the spares to the "+
						"training fleet, the risk that these items might facilitate a serious violation of IHL is mitigated."),
				},
				final: exportctl.FinalAdviceInput{
					Conditions: "Spares for the King Faisal Air Academy training fleet only; no transfer to operational squadrons or re-export without prior UK consent; annual end-use confirmation by the Royal Saudi Air Force",
					Reasons: "Recommend issue with the training-fleet condition. FCDO advised refusal under 2c and MOD approval; the senior official resolved the conflict as a proviso. " +
						"The assessment finds the 2c risk mitigated: safety spares for training aircraft, no combat capability added, no coalition air operations in Yemen since 2022. " +
						"Sensitive (risk finding under 2c): the senior official's countersignature is needed."},
			},
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(
				resolve(exportctl.AdviceProviso, "Spares for the King Faisal Air Academy training fleet only; not to be fitted to aircraft of operational squadrons without prior UK consent",
					"Resolved as a proviso. The goods are safety-critical spares (canopy transparencies, ejection-seat harnesses) for training aircraft; "+
						"the FCDO's concern is the aircraft's potential light-attack role, which these items do not enable. Condition: the spares are for the King Faisal Air Academy "+
						"training fleet only and may not be fitted to aircraft of operational squadrons without prior UK consent, with annual end-use confirmation."),
				assess(), finalAdvice(), countersign(),
				issue("Approved following the senior official's resolution of the FCDO's and MOD's conflicting advice: safety spares for training aircraft, no contribution to "+
					"ground-attack capability. Issued subject to the training-fleet condition."),
			)),
		},
		{
			// Under review: MOD has advised, the FCDO not yet.
			key: "northbridge-f16-turkey", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Structural life-extension of Turkish Air Force F-16 Block 50 aircraft.",
				goods(
					good("Wing attachment bulkhead forgings, titanium", "ML10a", 24, "item", 1680000, "F-16"),
					good("Structural repair technology data package", "ML22a", 1, "document", 45000, "F-16"),
				),
				endUser("Turkish Air Force", "TR", armedForces, ""),
				consignee("Anatolia Aerostructures A.S.", "Eskisehir", "TR"),
			),
			path: path(upTo(exportctl.StatusUnderReview), steps(adviseBy("MOD"))),
		},
		{
			key: "northbridge-aero-india", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportTemporary,
				"Temporary export for display at Aero India, Yelahanka Air Force Station, Bengaluru; all items return to the UK after the show.",
				goods(
					good("Demonstration head-up display unit (inert, non-flight-qualified)", "ML10a", 1, "item", 85000, "Hawk"),
					good("Cutaway display model of a combat aircraft fuel pump", "ML10a", 1, "item", 12000, ""),
				),
				endUser("Northbridge Aerospace Ltd (exhibition stand, Aero India)", "IN", commercial, "The exporter itself; temporary display"),
				consignee("Bengaluru Exhibition Logistics Pvt Ltd", "Yelahanka, Bengaluru", "IN"),
			),
			path: upTo(exportctl.StatusInitialChecks),
		},
		{
			key: "northbridge-seaking-ukraine", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Spares for Sea King helicopters gifted to Ukraine, for search and rescue and maritime patrol.",
				goods(
					good("Main rotor damper assemblies", "ML10a", 16, "item", 128000, "Sea King"),
					good("Sonar dome seals and winch cable sets", "ML10a", 30, "set", 37500, "Sea King"),
				),
				endUser("Ministry of Defence of Ukraine (Naval Aviation)", "UA", armedForces, ""),
				consignee("Ministry of Defence of Ukraine", "Kyiv", "UA"),
				party(intermed, "Rzeszow Logistics Hub Sp. z o.o.", "Rzeszow", "PL", commercial, "Transit hub"),
			),
			path: decided(issue("Approved: support of helicopters gifted by the UK; consistent with UK policy on Ukraine.")),
		},
		{
			// Assessed on evidence 70 days old: the cut-off is on the record.
			key: "northbridge-hermes-israel", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Engine spares for Hermes 450 unmanned aerial vehicles operated by the Israeli Air Force.",
				goods(
					good("Rotary engine rotor housings for UAV propulsion units", "ML10c", 60, "item", 534000, "Hermes 450"),
					good("UAV engine electronic control units", "ML10c", 20, "item", 262000, "Hermes 450"),
				),
				endUser("Israeli Air Force", "IL", armedForces, "UAV squadrons"),
				consignee("Haifa UAV Systems Ltd", "Haifa", "IL"),
			),
			review: review{
				fcdo:   approves(fcdoIsraelSpares),
				mod:    conditional(noReexport, "Engine spares for an established UAV fleet; the Hermes 450 is used for surveillance and target acquisition."),
				cutoff: 70,
				findings: []exportctl.Finding{
					finding("2c", mitigated, "The rotor housings and engine control units keep the Israeli Air Force's Hermes 450 UAVs flying. The type is used for surveillance and target "+
						"acquisition over Gaza, so the items could facilitate strikes. The assessment relies on the FCDO's IHL update as at the cut-off, which is 70 days before the "+
						"assessment: the incident data in it predates the most recent strikes reported by OCHA. On that evidence, no determination against Israel's commitment in the "+
						"conduct of hostilities had been made; risk mitigated by the re-export condition and review on each FCDO update."),
				},
			},
			path: decided(issue(issuedIsraelPre2024)),
		},
		{
			key: "northbridge-f16-egypt-draft", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Spares for Egyptian Air Force F-16 Block 40 aircraft.",
				goods(
					good("Nose landing gear steering actuators", "ML10a", 12, "item", 204000, "F-16"),
				),
				endUser("Egyptian Air Force", "EG", armedForces, ""),
			),
		},
		{
			key: "northbridge-f35-japan", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Spares for Japan Air Self-Defense Force F-35A aircraft assembled in Japan.",
				goods(
					good("Cockpit panoramic display mounting frames", "ML10a", 40, "item", 156000, "F-35"),
				),
				endUser("Japan Air Self-Defense Force", "JP", armedForces, ""),
				consignee("Nagoya Aerospace Assembly K.K.", "Nagoya", "JP"),
			),
			path: path(upTo(exportctl.StatusInitialChecks), steps(returnToApplicant(
				"Please provide the end-user undertaking signed by the Japan Air Self-Defense Force (Air Staff Office) rather than the consignee's letter, "+
					"and confirm whether the frames are new production or refurbished."))),
		},
		{
			key: "northbridge-kf21-korea", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Components for the KF-21 fighter development programme.",
				goods(
					good("Ejection seat rail assemblies", "ML10a", 8, "item", 312000, "KF-21"),
				),
				endUser("Republic of Korea Air Force", "KR", armedForces, ""),
				consignee("Sacheon Aerospace Co. Ltd", "Sacheon", "KR"),
			),
			path: path(upTo(exportctl.StatusSubmitted), steps(withdraw("The sub-contract for the KF-21 seat rails was awarded to another supplier; the licence is no longer needed."))),
		},
		{
			// Awaiting the minister: sensitive by value (over £10m), so both
			// the second officer and the senior official have countersigned.
			key: "northbridge-typhoon-qatar", exporter: "northbridge",
			in: application("SIEL", exportctl.ExportPermanent,
				"Mid-life support of the Qatar Emiri Air Force Typhoon fleet delivered from 2022, under the UK-Qatar government-to-government arrangement.",
				goods(
					good("Typhoon wing leading-edge slat actuator assemblies", "ML10a", 24, "item", 5280000, "Eurofighter Typhoon"),
					good("Typhoon canopy and windscreen assemblies", "ML10a", 12, "item", 4560000, "Eurofighter Typhoon"),
					good("Aircraft mounted accessory drive gearboxes, overhauled", "ML10a", 10, "item", 4750000, "Eurofighter Typhoon"),
				),
				endUser("Qatar Emiri Air Force", "QA", armedForces, ""),
				consignee("Dukhan Air Base Logistics WLL", "Dukhan", "QA"),
			),
			review: review{
				mod: conditional(noReexport, "Airframe spares for the Typhoon fleet supported jointly with the RAF (12 Squadron trained with Qatari crews); no technology beyond the fleet's existing release."),
			},
			path: upTo(exportctl.StatusAwaitingDecision),
		},

		// ---------------------------------------------------------------
		// Harrow Defence Systems plc: targeting (ML15), munitions
		// components (ML4), vehicles (ML6), small arms (ML1), armour (ML13).
		// ---------------------------------------------------------------
		{
			key: "harrow-targeting-pod-israel", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Repair spares for airborne targeting pods carried by Israeli Air Force F-16 aircraft.",
				goods(
					good("Cooled mid-wave infrared detector modules for airborne targeting pods", "ML15a", 18, "item", 1242000, "F-16"),
					good("Laser designator flash-lamp assemblies", "ML15", 40, "item", 188000, "F-16"),
				),
				endUser("Israeli Air Force", "IL", armedForces, ""),
				consignee("Galilee Electro-Optics Ltd", "Karmiel", "IL"),
			),
			review: review{
				fcdo: approves(fcdoIsraelSpares + " Targeting items get the closest scrutiny: the FCDO's view rests on the precision they add, which reduces civilian harm."),
				mod:  conditional(monitoringAt12+"; "+noReexport, "Repair spares for pods already in service; an end-use visit confirms they are fitted to the declared pods."),
				findings: []exportctl.Finding{
					finding("2c", mitigated, "Infrared detector modules and laser designator lamps restore the Israeli Air Force's F-16 targeting pods, which designate targets for "+
						"precision-guided munitions in Gaza. They bear directly on the conduct of hostilities. The OHCHR report's concerns relate chiefly to the choice of wide-area "+
						"munitions in dense areas rather than to failures of designation; at the cut-off the FCDO had made no determination against Israel in the conduct of hostilities. "+
						"The risk is mitigated by the end-use visit and by review on each FCDO update; it is finely balanced and is flagged for the senior official."),
				},
			},
			path: decided(issue(issuedIsraelPre2024)),
		},
		{
			key: "harrow-merkava-israel", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Running-gear spares for Merkava Mk4 main battle tanks of the Israel Defense Forces ground forces.",
				goods(
					good("Track tensioner assemblies", "ML6a", 120, "item", 456000, "Merkava"),
					good("Final drive planetary gear sets", "ML6a", 30, "set", 690000, "Merkava"),
				),
				endUser("Israel Ministry of Defense (IDF Ground Forces)", "IL", armedForces, ""),
				consignee("Israel Ministry of Defense, Procurement Mission", "Tel Aviv", "IL"),
			),
			review: review{
				fcdo: approves(fcdoIsraelSpares),
				findings: []exportctl.Finding{
					finding("2c", mitigated, "Track tensioners and final-drive gear sets keep Merkava Mk4 tanks of the IDF ground forces mobile; the tanks have been used in ground "+
						"operations in Gaza since October 2023, including in Khan Younis and Rafah. The items are not weapons, but sustain a platform in current use. At the cut-off "+
						"the FCDO had made no determination against Israel in the conduct of hostilities; the risk is mitigated by review on each FCDO update."),
				},
			},
			path: decided(issue(issuedIsraelPre2024)),
		},
		{
			key: "harrow-thermal-israel-incorporation", exporter: "harrow",
			in: application("SIEL", exportctl.ExportIncorporation,
				"Incorporation into thermal weapon sights manufactured in Israel for export to NATO armed forces (Netherlands and Germany); not for the Israel Defense Forces.",
				goods(
					good("Uncooled microbolometer thermal imaging cores, 640x512", "ML15a", 400, "item", 1480000, "thermal weapon sight"),
				),
				endUser("Karmel Optronics Ltd", "IL", commercial, "Manufacturer of thermal sights"),
				consignee("Karmel Optronics Ltd", "Yokneam", "IL"),
				party(ultimate, "Royal Netherlands Army", "", "NL", armedForces, "Final user of the sights"),
				party(ultimate, "Bundeswehr (German Army)", "", "DE", armedForces, "Final user of the sights"),
			),
			review: review{
				mod: conditional(noReexport+" other than in sights for the named NATO end users; delivery records to be provided on request",
					"Cores for incorporation into sights under contracts with the Netherlands and German armies, confirmed by both ministries of defence."),
				findings: []exportctl.Finding{
					finding("2c", noRisk, "The imaging cores are incorporated by Karmel Optronics into thermal weapon sights built under contract for the Royal Netherlands Army and "+
						"the Bundeswehr; both ministries of defence confirmed the contracts. The Israel Defense Forces are not an end user, and the re-export condition confines the "+
						"cores to sights for the named NATO armies. No clear risk of use in the conflict in Gaza.", ohchrGaza),
					finding("7", mitigated, "The manufacturer also supplies sights to the Israel Defense Forces from other production lines, so cores could be diverted to them. "+
						"Mitigated by the condition confining the cores to the NATO contracts, delivery records on request and the Dutch and German end-user certificates."),
				},
			},
			path: decided(issue("Approved: incorporation for onward export to NATO armed forces; re-export conditions apply.")),
			later: []licenceStep{
				suspend("minister", "Suspended as a precaution while the review of Israel determines, licence by licence, whether the items could be used in the conflict in Gaza."),
				reinstate("senior", "Reinstated after the review's licence-by-licence determination: the cores are incorporated into sights exported onward to the Netherlands and Germany, "+
					"delivery records for 2023-2024 confirm this, and the consignee has given a written undertaking that no sights are supplied to the Israel Defense Forces. "+
					"Determination: the items could not be used in the conflict (MOD and FCDO concur)."),
			},
		},
		{
			// Refused under 2c: both teams advise refusal.
			key: "harrow-fuzes-israel", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Components for air-delivered munitions of the Israeli Air Force.",
				goods(
					good("Fuze safety-and-arming device rotor assemblies", "ML4b", 2000, "item", 860000, "Mk 80-series bomb"),
					good("Fuze booster cup sub-assemblies (inert)", "ML4b", 2000, "item", 214000, "Mk 80-series bomb"),
				),
				endUser("Israeli Air Force", "IL", armedForces, ""),
				consignee("Israel Ministry of Defense, Procurement Mission", "Tel Aviv", "IL"),
			),
			review: review{
				fcdo: refuses("The FCDO's IHL assessment finds Israel not committed to complying with IHL on humanitarian access and the treatment of detainees, and serious "+
					"concerns in the conduct of hostilities. Fuze components for general-purpose bombs would be used directly in strikes in Gaza. Clear risk: refuse under Criterion 2c.", "2c"),
				mod: refuses("MOD concurs with the FCDO: the components would be used in Mk 80-series bombs dropped by the Israeli Air Force in Gaza, and no end-use assurance could "+
					"confine them to other theatres.", "2c"),
				findings: []exportctl.Finding{
					finding("2c", clearRisk, "The rotor assemblies and booster cups are components of fuzes for Mk 80-series general-purpose bombs, the munitions the Israeli Air Force "+
						"has dropped in large numbers on Gaza since October 2023. The OHCHR thematic report documents strikes with such bombs on residential buildings, a school, a market "+
						"and refugee camps, raising serious concerns under the principles of distinction, proportionality and precautions; Amnesty International documented strikes "+
						"that wiped out entire families. The FCDO's assessment (summary published 2 September 2024) finds Israel not committed to complying with IHL on humanitarian "+
						"access and detainees and could not confirm its commitment in the conduct of hostilities; Israel's investigations have concluded few cases. There is a clear risk "+
						"that the items might be used to commit or facilitate a serious violation of IHL.",
						ukIHLSummary, ohchrGaza, amnestyGaza, ohchrDetention),
				},
				final: exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendRefuse, Criteria: []string{"2c"},
					Reasons: "Recommend refusal under Criterion 2c. FCDO and MOD both advise refusal. The assessment finds a clear risk: the items are fuze components for bombs used " +
						"in Gaza, where documented strikes raise serious concerns under distinction, proportionality and precautions, and the FCDO finds Israel not committed to " +
						"complying with IHL on humanitarian access and detainees. No assurance could confine the items to other theatres."},
			},
			path: decided(refuse([]string{"2c"},
				"The items are components of air-delivered bombs for the Israeli Air Force. Having regard to the assessment of Israel's conduct of hostilities in Gaza since October 2023, "+
					"including credible reports by UN bodies and NGOs of strikes on residential buildings, shelters and medical facilities causing very high civilian casualties, "+
					"the limited information available on the Israel Defense Forces' investigation of such incidents, and continuing serious concerns about humanitarian access "+
					"and the treatment of detainees, there is a clear risk that the items might be used to commit or facilitate a serious violation of international humanitarian law. "+
					"FCDO advised refusal under Criterion 2c; MOD concurred. No assurance offered by the end user is sufficient to mitigate the risk.")),
		},
		{
			// Refused under 2c, appealed; the officer has started a reassessment.
			key: "harrow-targeting-saudi", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Sensor upgrade of airborne targeting pods used by the Royal Saudi Air Force on Typhoon aircraft.",
				goods(
					good("Targeting pod third-generation FLIR sensor upgrade kits", "ML15a", 12, "set", 3360000, "Eurofighter Typhoon"),
					good("Operator training courseware for the upgraded pods", "ML22a", 1, "document", 65000, ""),
				),
				endUser("Royal Saudi Air Force", "SA", armedForces, ""),
				consignee("Riyadh Defence Logistics Co.", "King Salman Air Base, Riyadh", "SA"),
			),
			review: review{
				fcdo: refuses("The kits upgrade the RSAF's ability to find and designate ground targets. Coalition air strikes in Yemen caused serious civilian harm until 2022 and "+
					"the truce is informal; JIAT's investigations have been found wanting by the UN Panel. A new ground-targeting capability carries a clear risk under Criterion 2c.", "2c"),
				mod: defers("MOD notes the RSAF's improved targeting procedures since 2019 but defers to the FCDO on Criterion 2c for a new ground-targeting capability."),
				findings: []exportctl.Finding{
					finding("2c", clearRisk, "Third-generation FLIR kits would markedly improve the Royal Saudi Air Force's ability to identify and designate ground targets from its Typhoons. "+
						"The RSAF struck targets in Yemen until 2022 in a campaign in which UN Panels of Experts and NGOs documented strikes on markets, hospitals, a school bus and a "+
						"detention facility; JIAT's findings have been criticised for lack of independence. The truce is informal and hostilities could resume, and the kits are a new "+
						"capability, not spares. Unlike sustainment items, their effect would be felt directly in any renewed air campaign. There is a clear risk that they might be used "+
						"to commit or facilitate a serious violation of IHL in Yemen."),
				},
				final: exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendRefuse, Criteria: []string{"2c"},
					Reasons: "Recommend refusal under Criterion 2c. FCDO advises refusal; MOD defers to it. The kits add a new ground-targeting capability to aircraft that struck " +
						"targets in Yemen until 2022, the truce is informal, and the coalition's investigations of past incidents are not reliable. Clear risk."},
			},
			path: path(decided(refuse([]string{"2c"},
				"The kits would improve the ability of the Royal Saudi Air Force to identify and designate ground targets. Having regard to the reports of the UN Panel of Experts on Yemen "+
					"of air strikes by the Saudi-led coalition on civilian objects, including markets, hospitals and a school bus, the coalition's record of investigating such incidents "+
					"through the Joint Incidents Assessment Team, and the absence of a sustained pattern of improvement in targeting procedures, there is a clear risk that the items "+
					"might be used to commit or facilitate a serious violation of international humanitarian law in Yemen (Criterion 2c).")),
				steps(
					appeal("Harrow appeals the refusal. The upgraded pods are for the Royal Saudi Air Force's air-defence Typhoon squadrons, which have not flown ground-attack sorties in Yemen since 2022; "+
						"we enclose the end user's signed undertaking not to use the pods in Yemen and the MOD's own record of the ceasefire period."),
					reassessDraft(finding("2c", clearRisk, "Appeal reassessment in progress. The end user's undertaking not to use the pods in Yemen and its statement that the pods "+
						"are for air-defence squadrons are being checked with MOD: air-defence Typhoons of the RSAF have also flown strike missions. Pending MOD's answer, the "+
						"finding of clear risk stands.")),
				)),
		},
		{
			// Under review: MOD has advised, the FCDO not yet.
			key: "harrow-vehicles-saudi", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Spares for light armoured vehicles of the Royal Saudi Land Forces.",
				goods(
					good("Armoured vehicle run-flat tyre inserts", "ML6b", 600, "item", 312000, "LAV"),
					good("Add-on armour panel kits for light armoured vehicles", "ML13a", 40, "set", 880000, "LAV"),
				),
				endUser("Royal Saudi Land Forces", "SA", armedForces, ""),
				consignee("Riyadh Defence Logistics Co.", "Riyadh", "SA"),
			),
			review: review{
				mod: conditional(monitoringAt12, "Protective and mobility spares for the Land Forces' LAV fleet; MOD asks for an end-use visit, as vehicles of this type were deployed on the Yemen border."),
			},
			path: path(upTo(exportctl.StatusUnderReview), steps(adviseBy("MOD"))),
		},
		{
			key: "harrow-body-armour-ukraine", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Personal protection for soldiers of the Armed Forces of Ukraine.",
				goods(
					good("Body armour plate carriers with NIJ level IV ceramic plates", "ML13d", 5000, "set", 2150000, ""),
					good("Ballistic helmets, aramid, with night-vision mounts", "ML13d", 5000, "item", 1175000, ""),
				),
				endUser("Ministry of Defence of Ukraine", "UA", armedForces, ""),
				consignee("Ministry of Defence of Ukraine", "Kyiv", "UA"),
				party(intermed, "Rzeszow Logistics Hub Sp. z o.o.", "Rzeszow", "PL", commercial, "Transit hub"),
			),
			path: decided(issue("Approved: protective equipment for a state exercising its right of self-defence; consistent with UK policy on Ukraine.")),
		},
		{
			key: "harrow-rifles-ukraine", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Precision rifles for sniper units of the Armed Forces of Ukraine.",
				goods(
					good("Bolt-action precision rifles, .338 Lapua Magnum, with suppressors", "ML1a", 250, "item", 1125000, ""),
					good("Day optical sights for the rifles", "ML1d", 250, "item", 437500, ""),
				),
				endUser("Armed Forces of Ukraine", "UA", armedForces, ""),
				consignee("Ministry of Defence of Ukraine", "Kyiv", "UA"),
			),
			review: review{
				mod: conditional(monitoringAt12+"; serial numbers of every rifle and sight recorded and provided to the British Embassy Kyiv",
					"Sniper rifles are lethal, portable and attractive to criminal networks: serial-number records and an end-use visit mitigate the risk of loss or diversion."),
				findings: []exportctl.Finding{
					finding("2c", mitigated, "Precision rifles and sights for sniper units of the Armed Forces of Ukraine, for use against Russian forces. The UN monitoring mission has "+
						"documented some violations by Ukrainian forces, mainly ill-treatment of prisoners of war, which Ukraine acknowledged and investigated; none concerned sniper "+
						"units or the conduct of hostilities with weapons of this kind. Lethal weapons warrant a finding of risk, mitigated by Ukraine's commitment to IHL, its "+
						"cooperation with the ICC and the end-use monitoring condition."),
					finding("7", mitigated, "Small arms are the items most at risk of diversion from a battlefield. Mitigated by serial-number records provided to the British Embassy Kyiv, "+
						"the end-use visit within 12 months and Ukraine's donor monitoring arrangements."),
				},
			},
			path: decided(issue("Approved on MOD advice: end-use monitoring and serial-number records required as a licence condition.")),
		},
		{
			key: "harrow-challenger-ukraine", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Spares for Challenger 2 tanks gifted by the UK to Ukraine.",
				goods(
					good("Challenger 2 hydro-gas suspension units", "ML6a", 24, "item", 1008000, "Challenger 2"),
					good("Thermal observation and gunnery sight spares", "ML5c", 10, "set", 540000, "Challenger 2"),
				),
				endUser("Armed Forces of Ukraine", "UA", armedForces, ""),
				consignee("Ministry of Defence of Ukraine", "Kyiv", "UA"),
			),
			path: decided(issue("Approved: support of UK-gifted equipment.")),
		},
		{
			key: "harrow-leopard-turkey", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Spares for Leopard 2A4 tanks of the Turkish Land Forces.",
				goods(
					good("Power-pack cooling fan drive assemblies", "ML6a", 40, "item", 720000, "Leopard 2"),
					good("Turret slip-ring assemblies", "ML6a", 20, "item", 310000, "Leopard 2"),
				),
				endUser("Turkish Land Forces", "TR", armedForces, ""),
				consignee("Ankara Savunma Lojistik A.S.", "Ankara", "TR"),
			),
			path: path(upTo(exportctl.StatusUnderReview), steps(adviseBy("MOD"), returnToApplicant(
				"The end-user undertaking does not say where the vehicles may be deployed. Please obtain an undertaking from Turkish Land Forces Command that covers "+
					"deployment outside Türkiye (including northern Syria) and re-export, and state which vehicles the spares will support."))),
		},
		{
			// Refused under 2a.
			key: "harrow-riot-turkey", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Public-order equipment for riot police units.",
				goods(
					good("Anti-riot shields, polycarbonate", "PL5001", 3000, "item", 261000, ""),
					good("Protective helmets with visors for public-order units", "ML13d", 3000, "item", 402000, ""),
				),
				endUser("General Directorate of Security (riot police)", "TR", police, ""),
				consignee("Ankara Savunma Lojistik A.S.", "Ankara", "TR"),
			),
			review: review{
				fcdo: refuses("The end user's riot police units have repeatedly used excessive force against peaceful demonstrators, journalists and lawyers (Istanbul Pride, "+
					"Saturday Mothers, the 2025 protests after the Istanbul mayor's arrest). The shields and helmets would equip those units directly. Clear risk of use in internal "+
					"repression: refuse under Criterion 2a.", "2a"),
				mod: defers("No defence or security interest in police public-order equipment; MOD defers to the FCDO on Criterion 2a."),
				findings: []exportctl.Finding{
					finding("2a", clearRisk, "The shields and visored helmets would equip the riot police units of the General Directorate of Security, which UN special procedures, the "+
						"Council of Europe Commissioner for Human Rights and NGOs report used excessive force against peaceful demonstrators, journalists and lawyers in 2023, 2024 "+
						"and 2025, including at Pride marches and at protests following the arrest of the mayor of Istanbul. Protective equipment of this kind enables those units "+
						"to disperse assemblies; no assurance on its use could be verified. Clear risk that it might be used to facilitate internal repression.",
						doc("https://www.coe.int/en/web/commissioner/country-monitoring/turkey", "Council of Europe Commissioner for Human Rights: country monitoring, Türkiye")),
					finding("2b", clearRisk, "The European Court of Human Rights has repeatedly found Türkiye in violation of Article 11 for the dispersal of peaceful assemblies by police; "+
						"special caution applies to equipment for the same units and supports the finding under 2a."),
				},
				final: exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendRefuse, Criteria: []string{"2a"},
					Reasons: "Recommend refusal under Criterion 2a. FCDO advises refusal; MOD defers. The goods would directly equip riot police units documented as using excessive " +
						"force against peaceful protesters in 2023-2025; the European Court of Human Rights' findings call for special caution (2b). Clear risk of internal repression."},
			},
			path: decided(refuse([]string{"2a"},
				"Clear risk that the items might be used to commit or facilitate internal repression. UN special procedures, the Council of Europe Commissioner for Human Rights "+
					"and NGOs have documented repeated excessive use of force by riot police units of the end user against peaceful demonstrators, journalists and lawyers, "+
					"including at Pride marches and at protests in 2023 and 2024. The items would directly equip those units. FCDO advised refusal under Criterion 2a.")),
		},
		{
			// In countersigning: awaiting its (single) countersignature.
			key: "harrow-fire-control-india", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Fire-control upgrade for towed artillery of the Indian Army.",
				goods(
					good("Gun-laying fire-control computers", "ML5a", 36, "item", 2520000, "155 mm towed howitzer"),
					good("Muzzle velocity radars", "ML5c", 36, "item", 828000, "155 mm towed howitzer"),
				),
				endUser("Indian Army", "IN", armedForces, ""),
				consignee("Pune Defence Systems Pvt Ltd", "Pune", "IN"),
			),
			review: review{
				findings: []exportctl.Finding{
					finding("4", noRisk, "Towed 155 mm howitzers are deployed along the Line of Control with Pakistan and the Line of Actual Control with China, and improved fire control "+
						"increases their accuracy. India's posture on both lines is defensive and it seeks settlement through bilateral talks; no clear risk of use for aggression or "+
						"to assert a territorial claim by force. More accurate fire reduces the risk to civilians near the lines."),
				},
			},
			path: upTo(exportctl.StatusCountersigning),
		},
		{
			key: "harrow-eurosatory-france", exporter: "harrow",
			in: application("SIEL", exportctl.ExportTemporary,
				"Temporary export for demonstration at Eurosatory, Paris Nord Villepinte; returned to the UK after the exhibition.",
				goods(
					good("Targeting pod demonstrator with working sensor head", "ML15a", 1, "item", 1950000, ""),
					good("Ground display stand and test set", "ML15", 1, "set", 48000, ""),
				),
				endUser("Harrow Defence Systems plc (exhibition stand, Eurosatory)", "FR", commercial, "The exporter itself; temporary display"),
				consignee("Villepinte Salon Logistique SAS", "Villepinte", "FR"),
			),
			review: review{
				mod: conditional("Return to the UK within 30 days of the exhibition closing; the sensor head is not to be demonstrated in operation to delegations from embargoed destinations",
					"Temporary export of a working sensor for display; the return condition and the restriction on demonstrations protect the technology."),
			},
			path:  decided(issue("Approved: temporary export for exhibition in an EU and NATO member state.")),
			later: []licenceStep{surrender("The demonstrator returned to the UK on 21 June after the exhibition; we surrender the licence as it is no longer needed.")},
		},
		{
			key: "harrow-idex-uae", exporter: "harrow",
			in: application("SIEL", exportctl.ExportTemporary,
				"Temporary export for display at IDEX, Abu Dhabi National Exhibition Centre.",
				goods(
					good("Deactivated display examples of 5.56 mm assault rifles", "ML1a", 6, "item", 18000, ""),
					good("Display body armour sets", "ML13d", 10, "set", 9500, ""),
				),
				endUser("Harrow Defence Systems plc (exhibition stand, IDEX)", "AE", commercial, "The exporter itself; temporary display"),
				consignee("Capital Expo Freight LLC", "Abu Dhabi", "AE"),
			),
			path: upTo(exportctl.StatusSubmitted),
		},
		{
			key: "harrow-vehicles-uae-revoked", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Spares for armoured personnel carriers of the UAE Land Forces.",
				goods(
					good("Armoured vehicle ballistic glass blocks", "PL5035", 800, "item", 384000, ""),
					good("Drive-train spares for 8x8 armoured personnel carriers", "ML6a", 60, "set", 525000, "8x8 APC"),
				),
				endUser("UAE Land Forces", "AE", armedForces, ""),
				consignee("Emirates Defence Trading LLC", "Abu Dhabi", "AE"),
			),
			review: review{
				fcdo: conditional("Post-shipment verification by the British Embassy Abu Dhabi within 12 months",
					"UN Panels of Experts have reported UAE transfers of armoured vehicles to parties in Libya and Sudan. The end user is the Land Forces directly, which "+
						"lowers the risk, but the FCDO asks for post-shipment verification of the glass blocks, which are not platform-specific."),
				mod: conditional(noReexport, "Spares for the Land Forces' 8x8 APC fleet; quantities consistent with its size."),
				findings: []exportctl.Finding{
					finding("7", mitigated, "Ballistic glass blocks are not specific to one vehicle and could be fitted to vehicles supplied onward; UN Panels of Experts have reported "+
						"UAE transfers of armoured vehicles to parties in Libya and Sudan. The consignee is an established trading company supplying the Land Forces. Mitigated by "+
						"the re-export condition and post-shipment verification within 12 months."),
				},
			},
			path: decided(issue("Approved on FCDO and MOD advice, with their re-export and verification conditions.")),
			later: []licenceStep{revoke("senior",
				"Revoked: images of vehicles fitted with ballistic glass of this type, with UK part markings, were published from Sudan in 2024, and the consignee could not account for "+
					"140 blocks shipped under this licence. There is a clear risk of diversion to an undesirable end user (Criterion 7) and of breach of the UN arms embargo on Darfur (Criterion 1).")},
		},
		{
			key: "harrow-armour-egypt-draft", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Body armour for the Egyptian Army.",
				goods(
					good("Soft body armour vests, NIJ level IIIA", "ML13d", 2000, "item", 420000, ""),
				),
				endUser("Egyptian Army", "EG", armedForces, ""),
				consignee("Cairo Defence Supplies SAE", "Cairo", "EG"),
			),
		},
		{
			// Refused under criteria 1 and 7.
			key: "harrow-armour-south-sudan", exporter: "harrow",
			in: application("SIEL", exportctl.ExportPermanent,
				"Protective equipment for a private security company guarding oil installations.",
				goods(
					good("Body armour vests with level III plates", "ML13d", 300, "item", 96000, ""),
				),
				endUser("Juba Protective Services Ltd", "SS", commercial, "Private security company"),
				consignee("Juba Protective Services Ltd", "Juba", "SS"),
				party(agent, "Nile Corridor Trading Ltd", "Kampala", "UG", commercial, "Sales agent"),
			),
			review: review{
				fcdo: refuses("South Sudan is under a UN arms embargo that covers military body armour; no exemption applies to a private security company. The end user's "+
					"personnel and clients include members of armed groups. Refuse under Criteria 1 and 7.", "1", "7"),
				mod: refuses("MOD agrees: military body armour is within the embargo (Criterion 1).", "1"),
				parties: map[string]opinion{
					"Nile Corridor Trading Ltd": refuses("The agent has arranged earlier supplies of military equipment into South Sudan reported by the UN Panel of Experts; "+
						"clear risk of diversion (Criterion 7).", "7"),
				},
				findings: []exportctl.Finding{
					finding("1", clearRisk, "South Sudan is subject to the UN Security Council arms embargo (resolution 2428 (2018), renewed), implemented in UK law by the South Sudan "+
						"(Sanctions) (EU Exit) Regulations 2019. Military body armour is within its scope, and no exemption applies to a private security company."),
					finding("7", clearRisk, "Juba Protective Services Ltd employs and serves members of armed groups, and its agent, Nile Corridor Trading Ltd, has arranged supplies "+
						"into South Sudan reported by the UN Panel of Experts. There is a clear risk that the vests would be diverted to armed groups."),
				},
			},
			path: decided(refuse([]string{"1", "7"},
				"South Sudan is subject to a UN Security Council arms embargo, implemented in UK law by the South Sudan (Sanctions) Regulations; military body armour is within its scope "+
					"and no exemption applies (Criterion 1). In addition the end user is a private security company whose clients and personnel include members of armed groups, "+
					"and there is a clear risk of diversion (Criterion 7).")),
		},

		// ---------------------------------------------------------------
		// Kestrel Secure Communications Ltd: encryption (5A002) and
		// military communications (ML11).
		// ---------------------------------------------------------------
		{
			key: "kestrel-encryptors-ukraine-oiel", exporter: "kestrel",
			in: application("OIEL", exportctl.ExportPermanent,
				"Secure government communications: IP network encryptors and key-management software for the Ukrainian state communications service.",
				goods(
					good("High-assurance IP network encryptors, 10 Gbit/s", "5A002a", 1, "item", 0, ""),
					good("Key-management software", "5D002c", 1, "software_licence", 0, ""),
				),
				endUser("State Service of Special Communications and Information Protection of Ukraine", "UA", government, ""),
			),
			path: decided(issue("Approved: open licence for government communications security; NCSC content with the assurance level.")),
		},
		{
			// Under review: the FCDO has advised refusal, MOD not yet.
			key: "kestrel-radios-israel", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Tactical radios for the Israel Ministry of Defense.",
				goods(
					good("Software-defined tactical radios with military waveforms", "ML11a", 400, "item", 2680000, ""),
				),
				endUser("Israel Ministry of Defense", "IL", government, ""),
				consignee("Israel Ministry of Defense, Procurement Mission", "Tel Aviv", "IL"),
			),
			review: review{
				fcdo: refuses("Tactical radios for ground units would be used in operations in Gaza. Applying the FCDO's IHL assessment, there is a clear risk that they might "+
					"facilitate a serious violation of IHL: refuse under Criterion 2c.", "2c"),
			},
			path: path(upTo(exportctl.StatusUnderReview), steps(adviseBy("FCDO"))),
		},
		{
			// Refused under 2a.
			key: "kestrel-encryption-saudi-security", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Secure communications network for the Presidency of State Security.",
				goods(
					good("Encrypted mobile handsets with hardened operating system", "5A002a", 1200, "item", 1440000, ""),
					good("Encrypted communications server and management software", "5D002c", 2, "software_licence", 380000, ""),
				),
				endUser("Presidency of State Security", "SA", government, "Domestic security agency"),
				consignee("Riyadh Secure Systems Co.", "Riyadh", "SA"),
			),
			review: review{
				fcdo: refuses("The Presidency of State Security detains and prosecutes peaceful critics, women's rights activists and social-media users under counter-terrorism "+
					"laws. Secure communications shielding its operations would facilitate that repression. Refuse under Criterion 2a.", "2a"),
				mod: defers("No defence interest: a domestic security agency. MOD defers to the FCDO."),
				findings: []exportctl.Finding{
					finding("2a", clearRisk, "The Presidency of State Security is the agency responsible for the detention and prosecution of human-rights defenders, women's rights "+
						"activists and online critics under Saudi Arabia's counter-terrorism and cybercrime laws, with sentences of decades for social-media posts reported by UN "+
						"special procedures. Hardened encrypted handsets and servers for its staff would shield its operations, including surveillance and arrests of critics, from "+
						"oversight. Clear risk that the items might be used to facilitate internal repression.", hrwBorder),
					finding("2b", clearRisk, "UN special procedures and treaty bodies have established arbitrary detention and torture of detainees held by the state security "+
						"apparatus; special caution applies and reinforces the finding under 2a."),
				},
				final: exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendRefuse, Criteria: []string{"2a"},
					Reasons: "Recommend refusal under Criterion 2a. FCDO advises refusal; MOD defers. The end user is the agency that detains and prosecutes peaceful critics; " +
						"secure communications for it would facilitate internal repression."},
			},
			path: decided(refuse([]string{"2a"},
				"The end user is responsible for domestic security and counter-terrorism and has been reported by UN human rights mechanisms to detain and prosecute "+
					"human rights defenders, women's rights activists and online critics under counter-terrorism laws. Secure communications that shield its operations from "+
					"oversight would facilitate internal repression; there is a clear risk that the items might be used to commit or facilitate internal repression (Criterion 2a).")),
		},
		{
			// Refused under 7, appealed, reassessed and issued on appeal.
			key: "kestrel-encryptors-turkey-appeal", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Link encryptors for ship-to-shore communications of the Turkish Naval Forces.",
				goods(
					good("Serial link encryptors for naval data links", "5A002a", 60, "item", 540000, "MILGEM corvette"),
				),
				endUser("Turkish Naval Forces", "TR", armedForces, ""),
				consignee("Marmara Elektronik Dagitim Ltd", "Istanbul", "TR"),
			),
			review: review{
				fcdo: refuses("The consignee is a distributor with no record of supply to the Turkish Naval Forces, and the end-user undertaking is signed by the distributor. "+
					"Risk of diversion to third countries: refuse under Criterion 7.", "7"),
				mod: refuses("MOD could not confirm a Turkish Naval Forces requirement for these encryptors with the Turkish defence attaché; refuse under Criterion 7 until it can.", "7"),
				findings: []exportctl.Finding{
					finding("7", clearRisk, "The consignee, Marmara Elektronik Dagitim Ltd, is a distributor with no record of supply to the Turkish Naval Forces; the end-user undertaking "+
						"is signed by the distributor, not the end user; and the distributor's customers include companies in third countries that have bought encryption equipment "+
						"for onward sale. There is a clear risk of diversion to an undesirable end user."),
				},
			},
			path: path(decided(refuse([]string{"7"},
				"The consignee is a distributor with no record of supply to the Turkish Naval Forces, the end-user undertaking is signed by the distributor rather than the end user, "+
					"and the distributor's customers include companies in third countries. There is a risk that the items will be diverted to an undesirable end user (Criterion 7).")),
				steps(
					appeal("We have obtained an end-user undertaking signed by the Turkish Naval Forces Command procurement directorate and will deliver directly to Gölcük Naval Base; "+
						"the distributor now acts only as customs agent."),
					reassess(finding("7", mitigated, "On appeal: the Turkish Naval Forces Command procurement directorate has signed the end-user undertaking, MOD has confirmed the "+
						"requirement for the MILGEM corvettes with the defence attaché, and delivery will be made directly to Gölcük Naval Base, the distributor acting only as customs "+
						"agent. The diversion risk is mitigated by direct delivery and a condition of no re-export without prior UK approval.")),
					issue("Appeal allowed: the signed end-user undertaking and direct delivery to the naval base resolve the diversion concern under Criterion 7. "+
						"Issued with a condition of no re-export without prior UK approval."),
				)),
		},
		{
			key: "kestrel-radios-india", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Combat net radios for the Indian Army.",
				goods(
					good("VHF combat net radios with frequency hopping", "ML11a", 900, "item", 3150000, ""),
					good("Vehicle installation kits", "ML11a", 300, "set", 210000, ""),
				),
				endUser("Indian Army", "IN", armedForces, ""),
				consignee("Delhi Signal Systems Pvt Ltd", "New Delhi", "IN"),
			),
			path: upTo(exportctl.StatusSubmitted),
		},
		{
			// Refused under 7 and under appeal.
			key: "kestrel-encryption-uae-diversion", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Stock for resale to government customers in the Gulf region.",
				goods(
					good("Ruggedised encrypted radio gateways", "5A002a", 80, "item", 464000, ""),
					good("Gateway configuration software", "5D002c", 80, "software_licence", 56000, ""),
				),
				endUser("Gulf Secure Networks FZCO", "AE", commercial, "Trading company in a free zone; end customers not named"),
				consignee("Gulf Secure Networks FZCO", "Jebel Ali Free Zone, Dubai", "AE"),
			),
			review: review{
				fcdo: refuses("A free-zone trading company buying for stock with no named end user; open sources link its director to re-exports of communications equipment "+
					"to Libya in breach of the UN arms embargo. Refuse under Criterion 7.", "7"),
				mod: refuses("MOD agrees: encrypted gateways without a named end user cannot be assessed and are attractive to embargoed buyers.", "7"),
				findings: []exportctl.Finding{
					finding("7", clearRisk, "Gulf Secure Networks FZCO is a trading company in the Jebel Ali Free Zone buying encrypted gateways for stock, with no named end user. "+
						"Open-source reporting links its director to earlier re-exports of communications equipment to Libya in breach of the UN arms embargo, and UN Panels of "+
						"Experts have documented diversion through UAE free zones. There is a clear risk of diversion to an undesirable end user or end use."),
				},
			},
			path: path(decided(refuse([]string{"7"},
				"The consignee is a free-zone trading company buying for stock, with no named end user. Open-source reporting links its director to earlier re-exports of communications "+
					"equipment to Libya in breach of the UN arms embargo. There is a clear risk that the items would be diverted to an undesirable end user or end use (Criterion 7).")),
				steps(appeal("Kestrel appeals: the consignee has now named the end user (the UAE National Guard), has replaced the director concerned and agrees to a post-shipment verification visit."))),
		},
		{
			key: "kestrel-encryptors-germany-oiel", exporter: "kestrel",
			in: application("OIEL", exportctl.ExportPermanent,
				"Network encryptors for the German armed forces' deployable networks.",
				goods(
					good("Tactical IP encryptors", "5A002a", 1, "item", 0, ""),
					good("Spares and repair returns for the encryptors", "5A002a", 1, "set", 0, ""),
				),
				endUser("Bundeswehr", "DE", armedForces, ""),
			),
			path: decided(issue("Approved: open licence to an EU and NATO armed force.")),
		},
		{
			key: "kestrel-radios-qatar", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Communications for Qatar Armed Forces command posts.",
				goods(
					good("Rack-mounted HF radios with embedded encryption", "ML11a", 24, "item", 372000, ""),
				),
				endUser("Qatar Armed Forces", "QA", armedForces, ""),
				consignee("Doha Communications Integration WLL", "Doha", "QA"),
			),
			path: path(upTo(exportctl.StatusSubmitted), steps(returnToApplicant(
				"Please confirm the rating. The data sheet shows user-accessible AES-256 encryption, which would also bring the radios within 5A002a. "+
					"Either add the dual-use rating or provide the manufacturer's technical justification, and attach the data sheet for the encryption module."))),
		},
		{
			key: "kestrel-radios-australia-draft", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Radios for the Royal Australian Navy's Hunter-class frigates.",
				goods(
					good("Naval UHF radios with military waveforms", "ML11a", 30, "item", 510000, "Type 26 frigate"),
				),
				endUser("Royal Australian Navy", "AU", armedForces, ""),
			),
		},
		{
			key: "kestrel-encryption-korea", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Secure communications for a Korean defence research institute.",
				goods(
					good("Encrypted satellite communications modems", "5A002a", 20, "item", 290000, ""),
				),
				endUser("Agency for Defense Development", "KR", government, ""),
				consignee("Daejeon Systems Engineering Co. Ltd", "Daejeon", "KR"),
			),
			path: upTo(exportctl.StatusInitialChecks),
		},
		{
			key: "kestrel-encryption-egypt-withdrawn", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Secure communications for the Egyptian Ministry of Interior.",
				goods(
					good("Encrypted handheld radios", "5A002a", 500, "item", 650000, ""),
				),
				endUser("Ministry of Interior of Egypt", "EG", government, ""),
				consignee("Cairo Secure Telecom SAE", "Cairo", "EG"),
			),
			review: review{
				fcdo: refuses("The Ministry of Interior's Central Security Forces and National Security Agency police protests and detain critics; encrypted radios would be "+
					"issued to public-order units. Clear risk of use in internal repression: refuse under Criterion 2a.", "2a"),
			},
			path: path(upTo(exportctl.StatusUnderReview), steps(adviseBy("FCDO"), withdraw(
				"Withdrawn: after the FCDO's questions about the end user's public-order units, we have decided not to pursue the contract."))),
		},

		// ---------------------------------------------------------------
		// Fenland Chemicals Ltd: chemical-weapons precursors (1C350) and
		// CBRN protection (ML7).
		// ---------------------------------------------------------------
		{
			key: "fenland-tea-india", exporter: "fenland",
			in: application("SIEL", exportctl.ExportPermanent,
				"Cement grinding aid and textile finishing agent manufacture.",
				goods(
					good("Triethanolamine, 99% (CAS 102-71-6), in 1,000 kg IBCs", "1C350", 80000, "kg", 136000, ""),
				),
				endUser("Gujarat Speciality Additives Pvt Ltd", "IN", commercial, "Manufacturer of cement additives"),
				consignee("Gujarat Speciality Additives Pvt Ltd", "Vadodara", "IN"),
			),
			review: review{
				fcdo: approves("The British Deputy High Commission in Ahmedabad visited the end user: an established manufacturer of cement grinding aids whose annual use of " +
					"triethanolamine matches the quantity. No proliferation concern."),
				mod: approves("Schedule 3 chemical in commercial quantities for a civil end use; no military end-use concern."),
			},
			path: decided(issue("Approved: established end user, quantities consistent with the stated use; end-use statement verified by the British High Commission.")),
		},
		{
			// Under review: no advice yet.
			key: "fenland-pcl3-turkey", exporter: "fenland",
			in: application("SIEL", exportctl.ExportPermanent,
				"Manufacture of agricultural pesticides (organophosphate insecticides).",
				goods(
					good("Phosphorus trichloride (CAS 7719-12-2)", "1C350", 40000, "kg", 58000, ""),
				),
				endUser("Cukurova Agrokimya A.S.", "TR", commercial, "Pesticide manufacturer"),
				consignee("Cukurova Agrokimya A.S.", "Adana", "TR"),
			),
			path: upTo(exportctl.StatusUnderReview),
		},
		{
			// Refused under 1, 7 and WMD.
			key: "fenland-precursor-uae-iran", exporter: "fenland",
			in: application("SIEL", exportctl.ExportPermanent,
				"Stated use: manufacture of plastics additives.",
				goods(
					good("Thiodiglycol (CAS 111-48-8)", "1C350", 5000, "kg", 41000, ""),
					good("Sodium sulphide (CAS 1313-82-2)", "1C350", 20000, "kg", 18000, ""),
				),
				endUser("Jebel Ali Chemical Trading FZE", "AE", commercial, "Trading company"),
				consignee("Jebel Ali Chemical Trading FZE", "Jebel Ali Free Zone, Dubai", "AE"),
				party(ultimate, "Pars Polymer Industries Co.", "Tehran", "IR", commercial, "Named on the commercial invoice as the final buyer"),
			),
			review: review{
				fcdo: refuses("Thiodiglycol is a Schedule 2 precursor of sulphur mustard; with sodium sulphide it is the classic route to it. The final buyer is in Iran, through a "+
					"free-zone trader. Supply would breach the UK's CWC obligations and the Iran sanctions (Criterion 1) and carries a clear risk of diversion (Criterion 7).", "1", "7"),
				mod: refuses("Defence Intelligence assesses the combination and quantities as consistent with a chemical-weapons programme's precursor needs rather than plastics "+
					"additives. WMD end-use control engaged.", "WMD"),
				findings: []exportctl.Finding{
					finding("1", clearRisk, "Thiodiglycol is listed in Schedule 2 of the Chemical Weapons Convention as a precursor of sulphur mustard. The final buyer named on the "+
						"invoice is in Iran; supply would be inconsistent with the UK's obligations under the CWC and the UK's Iran sanctions regime."),
					finding("7", clearRisk, "The goods would pass through a free-zone trading company to a buyer in Iran that was not declared as the end user; UN Panels and UK "+
						"enforcement cases show this route used to evade controls. Clear risk of diversion."),
					finding("WMD", clearRisk, "Thiodiglycol with sodium sulphide in these quantities matches a sulphur-mustard production route; the exporter has been informed that "+
						"the goods are or may be intended for use in connection with chemical weapons. The WMD end-use control applies."),
				},
			},
			path: decided(refuse([]string{"1", "7", "WMD"},
				"Thiodiglycol is a Schedule 2 precursor of sulphur mustard. The ultimate end user is in Iran and the goods would pass through a free-zone trading company. "+
					"Supply would be inconsistent with the UK's obligations under the Chemical Weapons Convention and the Iran sanctions regime (Criterion 1); there is a clear risk "+
					"of diversion (Criterion 7); and the exporter was informed that the items are or may be intended for use in connection with chemical weapons (WMD end-use control).")),
		},
		{
			key: "fenland-tea-egypt-nlr", exporter: "fenland",
			in: application("SIEL", exportctl.ExportPermanent,
				"Formulation of metalworking fluids.",
				goods(
					good("Metalworking fluid concentrate containing 18% triethanolamine", "1C350", 12000, "litre", 27000, ""),
				),
				endUser("Alexandria Lubricants SAE", "EG", commercial, ""),
				consignee("Alexandria Lubricants SAE", "Alexandria", "EG"),
			),
			review: review{
				fcdo: noLicenceNeeded("The FCDO agrees with the technical assessment: the mixture is not controlled, and the end user raises no concern."),
				mod:  noLicenceNeeded("The concentrate contains 18% triethanolamine by weight, below the 30% threshold of the 1C350 mixture note: not controlled."),
			},
			path: decided(nlr("No licence required: the mixture contains less than 30% triethanolamine by weight and is therefore outside 1C350 (mixture note). The applicant is advised accordingly.")),
		},
		{
			key: "fenland-kf-saudi", exporter: "fenland",
			in: application("SIEL", exportctl.ExportPermanent,
				"Manufacture of fluorinated speciality chemicals.",
				goods(
					good("Potassium fluoride, anhydrous (CAS 7789-23-3)", "1C350", 25000, "kg", 95000, ""),
				),
				endUser("Jubail Fluorochemicals Co.", "SA", commercial, ""),
				consignee("Jubail Fluorochemicals Co.", "Jubail Industrial City", "SA"),
			),
			path: upTo(exportctl.StatusInitialChecks),
		},
		{
			key: "fenland-cbrn-ukraine", exporter: "fenland",
			in: application("SIEL", exportctl.ExportPermanent,
				"Protection of Ukrainian forces against chemical attack.",
				goods(
					good("CBRN protective suits, military", "ML7f", 10000, "item", 1450000, ""),
					good("Personal decontamination kits", "ML7f", 20000, "set", 380000, ""),
				),
				endUser("Armed Forces of Ukraine", "UA", armedForces, ""),
				consignee("Ministry of Defence of Ukraine", "Kyiv", "UA"),
			),
			review: review{
				fcdo: approves("The OPCW has confirmed the use of riot-control agents against Ukrainian forces; protective equipment is a clear humanitarian and defensive need."),
			},
			path: decided(issue("Approved: protective equipment; consistent with UK policy on Ukraine.")),
		},
		{
			key: "fenland-dmmp-israel", exporter: "fenland",
			in: application("SIEL", exportctl.ExportPermanent,
				"Flame-retardant production.",
				goods(
					good("Dimethyl methylphosphonate (CAS 756-79-6)", "1C350", 8000, "kg", 64000, ""),
				),
				endUser("Ramat Polymers Ltd", "IL", commercial, "Manufacturer of flame retardants"),
				consignee("Ramat Polymers Ltd", "Ashdod", "IL"),
			),
			path: upTo(exportctl.StatusSubmitted),
		},
		{
			key: "fenland-tea-india-query", exporter: "fenland",
			in: application("SIEL", exportctl.ExportPermanent,
				"Manufacture of personal-care products.",
				goods(
					good("Triethanolamine hydrochloride", "1C350", 6000, "kg", 21000, ""),
				),
				endUser("Mumbai Personal Care Ltd", "IN", commercial, ""),
				consignee("Mumbai Personal Care Ltd", "Thane, Mumbai", "IN"),
			),
			path: path(upTo(exportctl.StatusInitialChecks), steps(returnToApplicant(
				"The CAS number on the safety data sheet (102-71-6) is that of triethanolamine, not triethanolamine hydrochloride (637-39-8). "+
					"Please correct the description or the CAS number and state the concentration."))),
		},
		{
			key: "fenland-japan-withdrawn", exporter: "fenland",
			in: application("SIEL", exportctl.ExportPermanent,
				"Semiconductor process chemicals.",
				goods(
					good("Hydrogen fluoride, anhydrous (CAS 7664-39-3)", "1C350", 2000, "kg", 30000, ""),
				),
				endUser("Kyushu Silicon Materials K.K.", "JP", commercial, ""),
				consignee("Kyushu Silicon Materials K.K.", "Kumamoto", "JP"),
			),
			path: path(upTo(exportctl.StatusSubmitted), steps(withdraw("The customer cancelled the order."))),
		},

		// ---------------------------------------------------------------
		// Solent Marine Electronics Ltd: naval radar, sonar and ship
		// systems (ML9, ML11, ML5).
		// ---------------------------------------------------------------
		{
			key: "solent-hunter-australia", exporter: "solent",
			in: application("SIEL", exportctl.ExportIncorporation,
				"Incorporation into Hunter-class frigates (a Type 26 derivative) built in Australia for the Royal Australian Navy.",
				goods(
					good("Towed-array sonar handling system components", "ML9b", 3, "set", 2850000, "Type 26 frigate"),
					good("Acoustic quieting raft mounts for machinery", "ML9b", 120, "item", 660000, "Type 26 frigate"),
				),
				endUser("Royal Australian Navy", "AU", armedForces, ""),
				consignee("Osborne Naval Shipbuilding Pty Ltd", "Osborne, South Australia", "AU"),
			),
			review: review{
				mod: approves("Type 26 programme components for an AUKUS partner; the acoustic technology is released under the UK-Australia Type 26 agreement."),
			},
			path: decided(issue("Approved: AUKUS partner; Type 26 programme.")),
		},
		{
			// Under final review: the officer has a draft assessment.
			key: "solent-radar-india", exporter: "solent",
			in: application("SIEL", exportctl.ExportPermanent,
				"Surveillance radars for Indian Navy frigates.",
				goods(
					good("X-band naval surveillance radar processors", "ML11a", 6, "item", 1920000, ""),
					good("Radar antenna pedestals", "ML9b", 6, "item", 780000, ""),
				),
				endUser("Indian Navy", "IN", armedForces, ""),
				consignee("Mazagon Marine Systems Pvt Ltd", "Mumbai", "IN"),
			),
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(assessDraft())),
		},
		{
			// Under final review with conflicting advice awaiting the senior
			// official, and a draft assessment.
			key: "solent-radar-saudi", exporter: "solent",
			in: application("SIEL", exportctl.ExportPermanent,
				"Radar upgrade of Royal Saudi Naval Forces corvettes.",
				goods(
					good("Naval fire-control radar tracking processors", "ML5a", 4, "item", 2360000, ""),
					good("Combat management system radar interface units", "ML11a", 4, "item", 520000, ""),
				),
				endUser("Royal Saudi Naval Forces", "SA", armedForces, ""),
				consignee("Jeddah Naval Support Co.", "Jeddah", "SA"),
			),
			review: review{
				fcdo: refuses("The Royal Saudi Naval Forces enforced the coalition's restrictions on shipping to Hodeidah, which the UN Panel of Experts found delayed food and fuel "+
					"imports in 2017-2018. Fire-control radars would strengthen that capability. Clear risk under Criterion 2c (humanitarian access).", "2c"),
				mod: approves("Fire-control processors for the corvettes' self-defence guns against Houthi drone and fast-attack-craft threats in the Red Sea, which also endanger " +
					"commercial shipping. MOD advises approval."),
				findings: []exportctl.Finding{
					finding("2c", mitigated, "Draft. The corvettes took part in enforcing restrictions on access to Hodeidah in 2017-2018 (UN Panel of Experts), an IHL concern on "+
						"humanitarian access; since the UN Verification and Inspection Mechanism and the 2022 truce, the restrictions have eased. The processors serve self-defence "+
						"against Houthi drones and boats. Provisional view: risk mitigated, subject to the senior official's resolution of the FCDO's and MOD's advice.", unPanelYemen),
				},
			},
			path: path(upTo(exportctl.StatusInitialChecks), steps(
				returnToApplicant("Please give the hull numbers of the Royal Saudi Naval Forces vessels the processors are for, and confirm that no source code is supplied."),
				resubmit("Hull numbers added to the end-use statement; no source code is supplied (object code only)."),
				beginChecks, startReview, advise(), finalReview, assessDraft(),
			)),
		},
		{
			// Under review: MOD has advised, the FCDO not yet.
			key: "solent-sonar-israel", exporter: "solent",
			in: application("SIEL", exportctl.ExportPermanent,
				"Hull-mounted sonar spares for Israeli Navy Sa'ar 6 corvettes.",
				goods(
					good("Sonar transducer array modules", "ML9b", 24, "item", 1104000, "Sa'ar 6 corvette"),
				),
				endUser("Israeli Navy", "IL", armedForces, ""),
				consignee("Israel Ministry of Defense, Procurement Mission", "Tel Aviv", "IL"),
			),
			review: review{
				mod: approves("Anti-submarine sonar spares for the Sa'ar 6 corvettes, which protect offshore gas platforms; sonar has no role in operations against Gaza."),
			},
			path: path(upTo(exportctl.StatusUnderReview), steps(adviseBy("MOD"))),
		},
		{
			key: "solent-radar-turkey", exporter: "solent",
			in: application("SIEL", exportctl.ExportPermanent,
				"Navigation and surveillance radars for Turkish Naval Forces Istif-class frigates.",
				goods(
					good("Low-probability-of-intercept navigation radars", "ML11a", 8, "item", 1280000, "Istif-class frigate"),
				),
				endUser("Turkish Naval Forces", "TR", armedForces, ""),
				consignee("Istanbul Naval Shipyard Supply A.S.", "Tuzla, Istanbul", "TR"),
			),
			review: review{
				fcdo: conditional(noReexport, "NATO ally; naval end use. The FCDO notes tensions with Greece and Cyprus in the eastern Mediterranean but finds no clear risk under Criterion 4."),
			},
			path: decided(issue("Approved on MOD advice: NATO ally, naval end use.")),
		},
		{
			key: "solent-radar-qatar-nlr", exporter: "solent",
			in: application("SIEL", exportctl.ExportPermanent,
				"Navigation radars for Qatar coastguard patrol boats.",
				goods(
					good("IMO type-approved commercial marine navigation radars, X-band", "ML11a", 12, "item", 96000, ""),
				),
				endUser("Qatar Coast Guard", "QA", government, ""),
				consignee("Doha Marine Equipment WLL", "Doha", "QA"),
			),
			review: review{
				fcdo: noLicenceNeeded("The FCDO agrees with MOD's technical assessment; no foreign-policy concern."),
				mod: noLicenceNeeded("Standard IMO type-approved commercial navigation radars, not specially designed or modified for military use: not controlled under ML11 " +
					"or the dual-use list."),
			},
			path: decided(nlr("No licence required: the radars are standard commercial IMO type-approved navigation radars, not specially designed or modified for military use; " +
				"not controlled under ML11 or the dual-use list.")),
		},
		{
			key: "solent-sonar-us", exporter: "solent",
			in: application("SIEL", exportctl.ExportPermanent,
				"Sonar spares for US Navy destroyers.",
				goods(
					good("Sonar signal processing cards", "ML11a", 40, "item", 520000, "Arleigh Burke-class destroyer"),
				),
				endUser("US Department of Defense (US Navy)", "US", armedForces, ""),
				consignee("Norfolk Naval Supply Services Inc.", "Norfolk, Virginia", "US"),
			),
			path: upTo(exportctl.StatusSubmitted),
		},
		{
			key: "solent-radar-egypt-withdrawn", exporter: "solent",
			in: application("SIEL", exportctl.ExportPermanent,
				"Radar refit of Egyptian Navy corvettes.",
				goods(
					good("Naval surveillance radar transceivers", "ML11a", 4, "item", 880000, ""),
				),
				endUser("Egyptian Navy", "EG", armedForces, ""),
				consignee("Alexandria Naval Services SAE", "Alexandria", "EG"),
			),
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(withdraw("The customer has postponed the corvette refit to 2027; we will reapply."))),
		},
		{
			key: "solent-usv-ukraine", exporter: "solent",
			in: application("SIEL", exportctl.ExportPermanent,
				"Navigation and communications equipment for uncrewed surface vessels of the Ukrainian Navy.",
				goods(
					good("Ruggedised marine radar and navigation suites for uncrewed surface vessels", "ML9a", 20, "set", 640000, "uncrewed surface vessel"),
					good("Anti-jam GNSS receivers", "ML11a", 20, "item", 150000, "uncrewed surface vessel"),
				),
				endUser("Ukrainian Navy", "UA", armedForces, ""),
				consignee("Ministry of Defence of Ukraine", "Kyiv", "UA"),
			),
			path: upTo(exportctl.StatusInitialChecks),
		},
		{
			// Awaiting the minister: countersigned once (not sensitive).
			key: "solent-sonar-norway", exporter: "solent",
			in: application("SIEL", exportctl.ExportPermanent,
				"Sonar spares for Royal Norwegian Navy Fridtjof Nansen-class frigates.",
				goods(
					good("Hull-mounted sonar receiver boards", "ML11a", 30, "item", 690000, "Fridtjof Nansen-class frigate"),
					good("Sonar dome pressure windows", "ML9b", 4, "item", 212000, "Fridtjof Nansen-class frigate"),
				),
				endUser("Royal Norwegian Navy", "NO", armedForces, ""),
				consignee("Haakonsvern Naval Logistics AS", "Bergen", "NO"),
			),
			path: upTo(exportctl.StatusAwaitingDecision),
		},
	}
}
