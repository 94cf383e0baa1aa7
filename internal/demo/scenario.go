package demo

import (
	"fmt"

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

// The 2024 Israel review suspended licences for items that could be used in
// the conflict in Gaza; each suspension names the category it fell under.
const israelReview = "Suspended following the 2024 review of Israel's compliance with international humanitarian law: " +
	"clear risk under Criterion 2c. The review found a clear risk that %s might be used to commit or facilitate a serious " +
	"violation of IHL in the conflict in Gaza, having regard to the conduct of hostilities, humanitarian relief and access, " +
	"and the treatment of detainees. No exports may be made under this licence until further notice; the licence remains " +
	"extant and will be reconsidered if the assessment changes."

const issuedIsraelPre2024 = "Approved on FCDO and MOD advice. On the information available at the evidence cut-off, " +
	"no clear risk under Criterion 2c was identified for these items; the end user's compliance with IHL is kept under review."

// cases is the scenario: every application, its path through the workflow
// and what later happens to its licence.
func cases() []caseSpec {
	return []caseSpec{
		// ---------------------------------------------------------------
		// Northbridge Aerospace Ltd: military aircraft components (ML10).
		// ---------------------------------------------------------------
		{
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
			path:  path(upTo(exportctl.StatusUnderFinalReview), steps(issue("minister", issuedIsraelPre2024))),
			later: []licenceStep{suspend("minister", fmt.Sprintf(israelReview, "components for military aircraft operated by the Israeli Air Force"))},
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
			path:  path(upTo(exportctl.StatusUnderFinalReview), steps(issue("minister", issuedIsraelPre2024))),
			later: []licenceStep{suspend("minister", fmt.Sprintf(israelReview, "F-35 components supplied directly to the Israeli Air Force"))},
		},
		{
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
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(issue("minister",
				"Approved. Components for incorporation and for the F-35 global spares pool. The pool's final destinations are allocated by the programme office; "+
					"the licence is maintained as a recorded departure from the 2024 Israel review because suspending it would affect the whole programme."))),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(issue("", "Approved: allied end user, no concerns raised by advisers."))),
		},
		{
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
			path: upTo(exportctl.StatusUnderFinalReview),
		},
		{
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
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(issue("minister", "Approved on MOD and FCDO advice: training aircraft spares, no contribution to ground-attack capability."))),
		},
		{
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
			path: upTo(exportctl.StatusUnderReview),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(issue("", "Approved: support of helicopters gifted by the UK; consistent with UK policy on Ukraine."))),
		},
		{
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
			path:  path(upTo(exportctl.StatusUnderFinalReview), steps(issue("minister", issuedIsraelPre2024))),
			later: []licenceStep{suspend("minister", fmt.Sprintf(israelReview, "components for unmanned aerial vehicles operated by the Israeli Air Force"))},
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
			path:  path(upTo(exportctl.StatusUnderFinalReview), steps(issue("minister", issuedIsraelPre2024))),
			later: []licenceStep{suspend("minister", fmt.Sprintf(israelReview, "items that facilitate ground targeting"))},
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
			path:  path(upTo(exportctl.StatusUnderFinalReview), steps(issue("minister", issuedIsraelPre2024))),
			later: []licenceStep{suspend("senior", fmt.Sprintf(israelReview, "components for ground vehicles used in the conflict"))},
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
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(issue("minister", "Approved: incorporation for onward export to NATO armed forces; re-export conditions apply."))),
			later: []licenceStep{
				suspend("minister", fmt.Sprintf(israelReview, "imaging components supplied to Israel")),
				reinstate("senior", "Reinstated after the review's licence-by-licence determination: the cores are incorporated into sights exported onward to the Netherlands and Germany, "+
					"delivery records for 2023-2024 confirm this, and the consignee has given a written undertaking that no sights are supplied to the Israel Defense Forces. "+
					"Determination: the items could not be used in the conflict (MOD and FCDO concur)."),
			},
		},
		{
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
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(refuse("minister", []string{"2c"},
				"The items are components of air-delivered bombs for the Israeli Air Force. Having regard to the assessment of Israel's conduct of hostilities in Gaza since October 2023, "+
					"including credible reports by UN bodies and NGOs of strikes on residential buildings, shelters and medical facilities causing very high civilian casualties, "+
					"the limited information available on the Israel Defense Forces' investigation of such incidents, and continuing serious concerns about humanitarian access "+
					"and the treatment of detainees, there is a clear risk that the items might be used to commit or facilitate a serious violation of international humanitarian law. "+
					"FCDO advised refusal under Criterion 2c; MOD concurred. No assurance offered by the end user is sufficient to mitigate the risk."))),
		},
		{
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
			path: path(upTo(exportctl.StatusUnderFinalReview),
				steps(
					refuse("minister", []string{"2c"},
						"The kits would improve the ability of the Royal Saudi Air Force to identify and designate ground targets. Having regard to the reports of the UN Panel of Experts on Yemen "+
							"of air strikes by the Saudi-led coalition on civilian objects, including markets, hospitals and a school bus, the coalition's record of investigating such incidents "+
							"through the Joint Incidents Assessment Team, and the absence of a sustained pattern of improvement in targeting procedures, there is a clear risk that the items "+
							"might be used to commit or facilitate a serious violation of international humanitarian law in Yemen (Criterion 2c)."),
					appeal("Harrow appeals the refusal. The upgraded pods are for the Royal Saudi Air Force's air-defence Typhoon squadrons, which have not flown ground-attack sorties in Yemen since 2022; "+
						"we enclose the end user's signed undertaking not to use the pods in Yemen and the MOD's own record of the ceasefire period."),
				)),
		},
		{
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
			path: upTo(exportctl.StatusUnderReview),
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
			path: path(upTo(exportctl.StatusInitialChecks), steps(issue("", "Approved: protective equipment for a state exercising its right of self-defence; consistent with UK policy on Ukraine."))),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(issue("minister", "Approved on MOD advice: end-use monitoring and serial-number records required as a licence condition."))),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(issue("", "Approved: support of UK-gifted equipment."))),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(returnToApplicant(
				"The end-user undertaking does not say where the vehicles may be deployed. Please obtain an undertaking from Turkish Land Forces Command that covers "+
					"deployment outside Türkiye (including northern Syria) and re-export, and state which vehicles the spares will support."))),
		},
		{
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
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(refuse("minister", []string{"2a"},
				"Clear risk that the items might be used to commit or facilitate internal repression. UN special procedures, the Council of Europe Commissioner for Human Rights "+
					"and NGOs have documented repeated excessive use of force by riot police units of the end user against peaceful demonstrators, journalists and lawyers, "+
					"including at Pride marches and at protests in 2023 and 2024. The items would directly equip those units. FCDO advised refusal under Criterion 2a."))),
		},
		{
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
			path: upTo(exportctl.StatusUnderFinalReview),
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
			path:  path(upTo(exportctl.StatusInitialChecks), steps(issue("", "Approved: temporary export for exhibition in an EU and NATO member state."))),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(issue("", "Approved on FCDO and MOD advice."))),
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
			path: path(upTo(exportctl.StatusInitialChecks), steps(refuse("minister", []string{"1", "7"},
				"South Sudan is subject to a UN Security Council arms embargo, implemented in UK law by the South Sudan (Sanctions) Regulations; military body armour is within its scope "+
					"and no exemption applies (Criterion 1). In addition the end user is a private security company whose clients and personnel include members of armed groups, "+
					"and there is a clear risk of diversion (Criterion 7)."))),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(issue("", "Approved: open licence for government communications security; NCSC content with the assurance level."))),
		},
		{
			key: "kestrel-radios-israel", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Tactical radios for the Israel Ministry of Defense.",
				goods(
					good("Software-defined tactical radios with military waveforms", "ML11a", 400, "item", 2680000, ""),
				),
				endUser("Israel Ministry of Defense", "IL", government, ""),
				consignee("Israel Ministry of Defense, Procurement Mission", "Tel Aviv", "IL"),
			),
			path: upTo(exportctl.StatusUnderReview),
		},
		{
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
			path: path(upTo(exportctl.StatusUnderFinalReview), steps(refuse("minister", []string{"2a"},
				"The end user is responsible for domestic security and counter-terrorism and has been reported by UN human rights mechanisms to detain and prosecute "+
					"human rights defenders, women's rights activists and online critics under counter-terrorism laws. Secure communications that shield its operations from "+
					"oversight would facilitate internal repression; there is a clear risk that the items might be used to commit or facilitate internal repression (Criterion 2a)."))),
		},
		{
			key: "kestrel-encryptors-turkey-appeal", exporter: "kestrel",
			in: application("SIEL", exportctl.ExportPermanent,
				"Link encryptors for ship-to-shore communications of the Turkish Naval Forces.",
				goods(
					good("Serial link encryptors for naval data links", "5A002a", 60, "item", 540000, "MILGEM corvette"),
				),
				endUser("Turkish Naval Forces", "TR", armedForces, ""),
				consignee("Marmara Elektronik Dagitim Ltd", "Istanbul", "TR"),
			),
			path: path(upTo(exportctl.StatusUnderReview), steps(
				refuse("minister", []string{"7"},
					"The consignee is a distributor with no record of supply to the Turkish Naval Forces, the end-user undertaking is signed by the distributor rather than the end user, "+
						"and the distributor's customers include companies in third countries. There is a risk that the items will be diverted to an undesirable end user (Criterion 7)."),
				appeal("We have obtained an end-user undertaking signed by the Turkish Naval Forces Command procurement directorate and will deliver directly to Gölcük Naval Base; "+
					"the distributor now acts only as customs agent."),
				issue("minister", "Appeal allowed: the signed end-user undertaking and direct delivery to the naval base resolve the diversion concern under Criterion 7. "+
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
			path: path(upTo(exportctl.StatusUnderReview), steps(
				refuse("minister", []string{"7"},
					"The consignee is a free-zone trading company buying for stock, with no named end user. Open-source reporting links its director to earlier re-exports of communications "+
						"equipment to Libya in breach of the UN arms embargo. There is a clear risk that the items would be diverted to an undesirable end user or end use (Criterion 7)."),
				appeal("Kestrel appeals: the consignee has now named the end user (the UAE National Guard), has replaced the director concerned and agrees to a post-shipment verification visit."),
			)),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(issue("", "Approved: open licence to an EU and NATO armed force."))),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(withdraw(
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
			path: path(upTo(exportctl.StatusInitialChecks), steps(issue("", "Approved: established end user, quantities consistent with the stated use; end-use statement verified by the British High Commission."))),
		},
		{
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
			path: path(upTo(exportctl.StatusInitialChecks), steps(refuse("minister", []string{"1", "7", "WMD"},
				"Thiodiglycol is a Schedule 2 precursor of sulphur mustard. The ultimate end user is in Iran and the goods would pass through a free-zone trading company. "+
					"Supply would be inconsistent with the UK's obligations under the Chemical Weapons Convention and the Iran sanctions regime (Criterion 1); there is a clear risk "+
					"of diversion (Criterion 7); and the exporter was informed that the items are or may be intended for use in connection with chemical weapons (WMD end-use control)."))),
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
			path: path(upTo(exportctl.StatusInitialChecks), steps(nlr("",
				"No licence required: the mixture contains less than 30% triethanolamine by weight and is therefore outside 1C350 (mixture note). The applicant is advised accordingly."))),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(issue("", "Approved: protective equipment; consistent with UK policy on Ukraine."))),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(issue("", "Approved: AUKUS partner; Type 26 programme."))),
		},
		{
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
			path: upTo(exportctl.StatusUnderReview),
		},
		{
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
			path: path(upTo(exportctl.StatusInitialChecks), steps(
				returnToApplicant("Please give the hull numbers of the Royal Saudi Naval Forces vessels the processors are for, and confirm that no source code is supplied."),
				resubmit("Hull numbers added to the end-use statement; no source code is supplied (object code only)."),
				beginChecks, startReview, finalReview,
			)),
		},
		{
			key: "solent-sonar-israel", exporter: "solent",
			in: application("SIEL", exportctl.ExportPermanent,
				"Hull-mounted sonar spares for Israeli Navy Sa'ar 6 corvettes.",
				goods(
					good("Sonar transducer array modules", "ML9b", 24, "item", 1104000, "Sa'ar 6 corvette"),
				),
				endUser("Israeli Navy", "IL", armedForces, ""),
				consignee("Israel Ministry of Defense, Procurement Mission", "Tel Aviv", "IL"),
			),
			path: upTo(exportctl.StatusUnderReview),
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
			path: path(upTo(exportctl.StatusUnderReview), steps(issue("", "Approved on MOD advice: NATO ally, naval end use."))),
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
			path: path(upTo(exportctl.StatusInitialChecks), steps(nlr("",
				"No licence required: the radars are standard commercial IMO type-approved navigation radars, not specially designed or modified for military use; not controlled under ML11 or the dual-use list."))),
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
	}
}
