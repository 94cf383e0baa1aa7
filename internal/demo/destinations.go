package demo

import (
	"fmt"

	"github.com/exportctl/exportctl"
)

// destination is what the advisers and case officers know about a
// country: the background the generated advice and findings draw on. A
// case's own findings say what is particular to its goods and end user.
type destination struct {
	summary    string // one line the FCDO's advice on parties there adds
	hr         string // criterion 2a: human rights and internal repression
	caution    string // criterion 2b: findings of competent bodies
	ihl2c      string // criterion 2c: the country's armed conflicts and IHL record
	finding2c  string // the usual 2c finding for military goods there (default no risk)
	mitigation string // why that finding is no worse, when it is a risk mitigated
	ihl        *exportctl.IHLFindings
	evidence   []exportctl.EvidenceRef // cited on 2c
	internal   string                  // criterion 3
	regional   string                  // criterion 4
	behaviour  string                  // criterion 6
	diversion  string                  // criterion 7
	ally       bool                    // criterion 5: a NATO ally or close defence partner
}

// ihlFor returns the IHL findings for a case: the profile's, or for a
// country at peace findings that say so about the end user.
func (d destination) ihlFor(f facts) exportctl.IHLFindings {
	if d.ihl != nil {
		return *d.ihl
	}
	return exportctl.IHLFindings{
		PastViolations:          fmt.Sprintf("No credible reports of serious violations of IHL by %s or other forces of %s.", f.endUser, f.dest),
		Pattern:                 "No pattern of violations: no incidents of concern are recorded.",
		ConductOfHostilities:    fmt.Sprintf("%s has the capability to comply with IHL in the conduct of hostilities (legal review of targeting, rules of engagement, IHL training) and a demonstrated commitment to it.", upperFirst(f.dest)),
		HumanitarianAccess:      fmt.Sprintf("Not in issue: %s does not control humanitarian access in any current armed conflict.", f.dest),
		Detainees:               fmt.Sprintf("Not in issue: no reports of ill-treatment of detainees by the forces of %s.", f.dest),
		RecipientInvestigations: fmt.Sprintf("%s has independent military justice and civilian oversight able to investigate allegations.", upperFirst(f.dest)),
		Assurances:              fmt.Sprintf("None needed beyond the end-user undertaking signed by %s.", f.endUser),
	}
}

// profileOf returns a country's profile; close allies share one written
// from their name.
func profileOf(code string) destination {
	if d, ok := destinations[code]; ok {
		return d
	}
	name := upperFirst(countryRef(code))
	return destination{
		summary:   name + " is a close ally with effective export and end-use controls.",
		hr:        name + " has a strong human-rights record, independent courts and democratic oversight of its armed and security forces.",
		caution:   "No competent body has established serious violations of human rights in " + name + " relevant to these goods.",
		ihl2c:     name + " is not party to an armed conflict in which these goods would be used, and its armed forces have the capability and the commitment to comply with IHL.",
		internal:  name + " is stable and has no internal armed conflict.",
		regional:  "No risk of aggression: " + name + " is a NATO ally or close partner committed to the peaceful settlement of disputes.",
		behaviour: name + " supports the international non-proliferation and counter-terrorism regimes and cooperates closely with the UK.",
		diversion: name + " has an effective export-control system and honours re-export undertakings; the risk of diversion is low.",
		ally:      true,
	}
}

// Reports cited on criterion 2c. The addresses are the publishers' pages.
var (
	ukIHLSummary = doc("https://www.gov.uk/government/publications/summary-of-the-international-humanitarian-law-ihl-process-decision-and-the-factors-taken-into-account",
		"UK government: summary of the IHL process, decision and the factors taken into account (2 September 2024)")
	ohchrGaza = doc("https://www.un.org/unispal/document/thematic-report-ohchr-19jun24/",
		"OHCHR thematic report: indiscriminate and disproportionate attacks during the conflict in Gaza, October-December 2023 (19 June 2024)")
	amnestyGaza = doc("https://www.amnesty.org/en/latest/news/2023/10/damning-evidence-of-war-crimes-as-israeli-attacks-wipe-out-entire-families-in-gaza/",
		"Amnesty International: strikes on residential buildings in Gaza, 7-12 October 2023 (20 October 2023)")
	ohchrDetention = doc("https://www.ohchr.org/en/documents/reports/detention-context-escalation-hostilities-gaza-october-2023-june-2024",
		"OHCHR: detention in the context of the escalation of hostilities in Gaza, October 2023-June 2024 (31 July 2024)")
	ochaAccess = doc("https://www.ochaopt.org/humanitarian-situation-updates",
		"OCHA oPt humanitarian situation updates: crossings, denied and impeded aid missions")
	hrwYemen2015 = doc("https://www.hrw.org/report/2015/11/26/what-military-target-was-my-brothers-house/unlawful-coalition-airstrikes-yemen",
		"Human Rights Watch: 'What Military Target Was in My Brother's House': unlawful coalition airstrikes in Yemen (November 2015)")
	hrwYemen2022 = doc("https://www.hrw.org/news/2022/04/18/yemen-latest-round-saudi-uae-led-attacks-targets-civilians",
		"Human Rights Watch and Mwatana for Human Rights: coalition attacks of January 2022, including the Saada detention facility (18 April 2022)")
	unPanelYemen = doc("https://reliefweb.int/report/yemen/letter-dated-25-january-2019-panel-experts-yemen-addressed-president-security-council",
		"Final report of the UN Panel of Experts on Yemen, S/2019/83 (January 2019)")
	caat2019 = doc("https://www.bailii.org/ew/cases/EWCA/Civ/2019/1020.html",
		"R (Campaign Against Arms Trade) v Secretary of State for International Trade [2019] EWCA Civ 1020")
	caat2023 = doc("https://www.bailii.org/ew/cases/EWHC/Admin/2023/1343.html",
		"R (Campaign Against Arms Trade) v Secretary of State for Business and Trade [2023] EWHC 1343 (Admin)")
	hrwBorder = doc("https://www.hrw.org/report/2023/08/21/they-fired-us-rain/saudi-arabian-mass-killings-ethiopian-migrants-yemen-saudi",
		"Human Rights Watch: 'They Fired On Us Like Rain': killings of Ethiopian migrants at the Yemen-Saudi border (21 August 2023)")
)

var destinations = map[string]destination{
	"IL": {
		summary: "Israel: since 7 October 2023 Criterion 2c is the most significant criterion; the FCDO's IHL assessment is updated fortnightly.",
		hr: "Israel has an independent judiciary and a free press. Concerns about the West Bank (settler violence, administrative detention, demolitions) " +
			"are relevant to items that security forces could use there.",
		caution: "UN bodies (OHCHR, the Commission of Inquiry on the Occupied Palestinian Territory) have reported serious violations of human rights in the West Bank and Gaza; " +
			"special caution applies to items that could be used there.",
		ihl2c: "Israel has been party to an armed conflict in Gaza since the Hamas attack of 7 October 2023, with very high civilian casualties and destruction of civilian objects. " +
			"The IHL findings record the FCDO's assessment of Israel's capability and commitment in the conduct of hostilities, humanitarian access and the treatment of detainees.",
		finding2c: exportctl.FindingRiskMitigated,
		ihl: &exportctl.IHLFindings{
			PastViolations: "OHCHR, UN special procedures and NGOs have documented strikes in Gaza on residential buildings, shelters, markets and medical facilities causing mass civilian casualties, " +
				"and the killing of aid workers. The FCDO assessed a sample of incidents: in most, the lack of information from Israel on the target and the expected civilian harm " +
				"prevented a determination; in some, a violation of IHL is possible.",
			Pattern: "The OHCHR thematic report of June 2024 finds a pattern of strikes with wide-area explosive weapons in densely populated areas that raises serious concerns " +
				"under the principles of distinction, proportionality and precautions. The FCDO has not determined a pattern in the conduct of hostilities, but records one in restrictions on aid.",
			ConductOfHostilities: "Israel has a developed targeting process with legal advisers and a stated commitment to IHL. The scale of civilian harm and the absence of information on " +
				"specific strikes mean its commitment in the conduct of hostilities cannot be confirmed; its capability to comply is not in doubt.",
			HumanitarianAccess: "Restrictions on crossings, impeded and denied aid missions and failures of deconfliction, documented by OCHA, have persisted despite commitments given to the UK " +
				"and its partners. Israel is assessed not to be committed to complying with IHL on humanitarian relief and access.",
			Detainees: "Credible reports of ill-treatment and deaths in custody of detainees from Gaza, and the ICRC's lack of access to them since 7 October 2023. " +
				"Israel is assessed not to be committed to complying with IHL on the treatment of detainees.",
			RecipientInvestigations: "The General Staff's Fact-Finding Assessment Mechanism reviews incidents before the Military Advocate General decides whether to open a criminal investigation. " +
				"Few investigations have concluded; OHCHR questions the MAG's independence given its dual role; little information has been shared with the UK.",
			Assurances: "Written assurances on IHL compliance and on aid access were received from the Israeli government; those on access have not been met in full. " +
				"No end-use assurance could exclude the use in Gaza of items for the Israel Defense Forces.",
		},
		evidence: []exportctl.EvidenceRef{ohchrGaza, amnestyGaza, ohchrDetention, ochaAccess},
		internal: "Israel faces attacks from Hamas, Hezbollah and other armed groups, and has been in armed conflict in Gaza since October 2023; " +
			"the use of items in that conflict is assessed under Criterion 2c.",
		regional: "Israel's strikes in Lebanon, Syria and Iran are claimed as self-defence. There is no clear risk that these goods would be used for aggression against another country " +
			"or to assert a territorial claim by force.",
		behaviour: "Israel is a close security and intelligence partner of the UK and supports international counter-terrorism efforts. It is party to the Geneva Conventions " +
			"(not Additional Protocol I) and is not a party to the Arms Trade Treaty.",
		diversion: "Israel's Defense Export Control Agency operates an effective export-control system; re-export without consent is unlikely.",
	},
	"SA": {
		summary: "Saudi Arabia: led the coalition in Yemen; the 2020 review after the Court of Appeal's judgment found the coalition's incidents of concern isolated; kept under review.",
		hr: "Serious human-rights concerns: long sentences and travel bans for peaceful expression, including of women's rights activists and social-media users; " +
			"extensive use of the death penalty; the killing of Jamal Khashoggi in 2018.",
		caution: "UN special procedures and treaty bodies have established serious violations of human rights in Saudi Arabia (arbitrary detention, torture allegations, executions " +
			"for non-violent offences); special caution applies, especially to items for internal-security bodies.",
		ihl2c: "Saudi Arabia led the coalition in Yemen from March 2015. Coalition air strikes have largely stopped since the UN-brokered truce of April 2022, which holds informally. " +
			"Following the Court of Appeal's 2019 judgment, the assessment makes explicit findings on past violations and on any pattern of them.",
		finding2c: exportctl.FindingRiskMitigated,
		mitigation: "The goods are not used in air operations; with coalition air strikes in Yemen stopped since 2022 and UK visibility of end use, " +
			"the risk that they might facilitate a serious violation of IHL is mitigated.",
		ihl: &exportctl.IHLFindings{
			PastViolations: "UN Panels of Experts, the Group of Eminent Experts and NGOs documented coalition air strikes on civilians and civilian objects between 2015 and 2022 " +
				"(markets, hospitals, weddings, the Dahyan school bus in August 2018, the Saada detention facility in January 2022) in which a violation of IHL is possible or likely.",
			Pattern: "The incidents of concern were, on the 2020 review's analysis, isolated and did not show a pattern of deliberate targeting of civilians; the High Court upheld that approach " +
				"in 2023. Their frequency fell sharply after 2019 and no coalition strikes in Yemen have been reported since the 2022 truce.",
			ConductOfHostilities: "The Royal Saudi Air Force has improved its targeting process with UK and US training (no-strike lists, collateral-damage estimation, legal review). " +
				"Capability to comply is adequate; commitment is assessed as genuine but tested only in a period of little air activity.",
			HumanitarianAccess: "Coalition restrictions on Hodeidah and Saleef in 2017-2018 impeded imports of food and fuel; since the UN Verification and Inspection Mechanism " +
				"and the truce, access through the ports has improved. No current concern attributable to Saudi Arabia.",
			Detainees: "Reports of ill-treatment concern forces in southern Yemen backed by coalition members rather than Saudi forces; no recent credible reports about detainees held by Saudi forces.",
			RecipientInvestigations: "The coalition's Joint Incidents Assessment Team has published findings on several hundred incidents and recommended compensation in some; " +
				"UN Panels have criticised its independence and its findings in specific cases. Few prosecutions are known.",
			Assurances: "Government-to-government assurances on IHL compliance and on the end use of UK-supplied equipment; UK in-country support teams give visibility of fleet use.",
		},
		evidence: []exportctl.EvidenceRef{unPanelYemen, hrwYemen2015, hrwYemen2022, caat2019, caat2023},
		internal: "Saudi Arabia is internally stable apart from cross-border attacks by the Houthis.",
		regional: "Saudi Arabia intervened in Yemen at the request of its government and supports the UN-led peace process; tensions with Iran have eased since 2023. " +
			"No clear risk of aggression or of asserting a territorial claim by force.",
		behaviour: "Saudi Arabia cooperates closely with the UK on counter-terrorism. It is not a party to the Arms Trade Treaty.",
		diversion: "Government-to-government support arrangements and UK personnel in country give good visibility of end use; the risk of diversion of platform spares is low.",
		ally:      true,
	},
	"UA": {
		summary: "Ukraine: defending itself against Russia's full-scale invasion (UN Charter, Article 51); supply is consistent with UK policy.",
		hr:      "Martial law restricts some rights, and concerns have been raised about collaboration prosecutions; there is no pattern of internal repression by the armed forces.",
		caution: "The UN Human Rights Monitoring Mission attributes the great majority of violations to Russian forces; it has also documented some by Ukrainian forces, " +
			"chiefly against prisoners of war, which Ukraine has acknowledged and investigated.",
		ihl2c: "Ukraine is party to an international armed conflict as the victim of aggression. The UN Human Rights Monitoring Mission attributes the great majority of violations " +
			"to Russian forces; violations by Ukrainian forces it has documented (mainly ill-treatment of prisoners of war) have been acknowledged and investigated by Ukraine.",
		ihl: &exportctl.IHLFindings{
			PastViolations: "Some documented violations by Ukrainian forces, mainly ill-treatment of prisoners of war at capture and in transit, and strikes in occupied areas with civilian casualties.",
			Pattern:        "No pattern: the incidents are sporadic and are not tolerated by the command; their number fell after 2022.",
			ConductOfHostilities: "The Armed Forces of Ukraine have the capability to comply (legal advisers, NATO-standard targeting training) and a demonstrated commitment, " +
				"including cooperation with the UN monitoring mission and the ICC.",
			HumanitarianAccess:      "Ukraine facilitates humanitarian relief, evacuation and access to front-line areas it controls.",
			Detainees:               "Ukraine grants the ICRC access to prisoners of war it holds and has improved conditions after the UN mission's reports.",
			RecipientInvestigations: "The Prosecutor General's Office investigates allegations against Ukrainian forces and has opened cases; Ukraine accepted the ICC's jurisdiction.",
			Assurances:              "End-use undertaking from the Ministry of Defence of Ukraine, with serial-number records and donor end-use monitoring.",
		},
		internal:  "The armed conflict is Russia's war against Ukraine. Supplying Ukraine's self-defence does not provoke or prolong it within the meaning of Criterion 3.",
		regional:  "No risk of aggression: Ukraine is defending its internationally recognised territory.",
		behaviour: "Ukraine cooperates closely with the UK and its partners, supports sanctions enforcement against Russia and has accepted the jurisdiction of the International Criminal Court.",
		diversion: "Ukraine's end-use monitoring with donors (serial-number tracking, inspections) mitigates the risk of battlefield loss or diversion to criminal networks; " +
			"there is no credible evidence of systematic diversion of equipment supplied by the UK and its partners.",
		ally: true,
	},
	"TR": {
		summary: "Türkiye: a NATO ally; concerns about public-order policing and about cross-border operations in northern Syria and Iraq.",
		hr: "Concerns about restrictions on freedom of expression and assembly since 2016, prosecutions of journalists, lawyers and opposition politicians, " +
			"and excessive force against demonstrators by riot police.",
		caution: "The European Court of Human Rights has repeatedly found violations by Türkiye of the rights to liberty, expression and assembly; " +
			"special caution applies to items for the police and gendarmerie.",
		ihl2c: "Türkiye conducts cross-border operations against the PKK in northern Iraq and against Kurdish forces in northern Syria; the UN Commission of Inquiry on Syria has reported " +
			"civilian harm in some strikes. Items of a kind used in those operations are assessed with care.",
		internal:  "A long-running conflict with the PKK in the south-east is now at low intensity.",
		regional:  "Tensions with Greece and Cyprus over maritime boundaries in the eastern Mediterranean persist, but there is no clear risk of aggression or of asserting a claim by force.",
		behaviour: "Türkiye is a NATO ally that cooperates with the UK on counter-terrorism and migration, and supports the non-proliferation regimes.",
		diversion: "Türkiye has an effective export-control system, though trading intermediaries have re-exported dual-use goods to third countries; end-user undertakings must come from the end user.",
		ally:      true,
	},
	"AE": {
		summary: "United Arab Emirates: a close partner; concerns about diversion through its free zones to Libya, Sudan and Yemen.",
		hr:      "Restrictions on freedom of expression and association; the 2024 mass trial of 84 defendants, mostly human-rights defenders and dissidents, ended in long sentences.",
		caution: "UN special procedures have found arbitrary detention of critics; special caution applies to items for internal-security bodies.",
		ihl2c: "The UAE withdrew most of its ground forces from Yemen in 2019 but backs forces there. UN Panels of Experts on Libya and Sudan have reported transfers of arms attributed to the UAE; " +
			"these bear on Criteria 1 and 7 rather than on the use of goods by the UAE's own forces.",
		internal:  "The UAE is internally stable.",
		regional:  "A member of the coalition in Yemen; reported support for parties in Sudan and Libya is assessed under Criteria 1 and 7. No clear risk of aggression by the UAE itself.",
		behaviour: "The UAE cooperates with the UK on counter-terrorism; it was on the FATF's list of jurisdictions under increased monitoring from 2022 to 2024 for money-laundering controls.",
		diversion: "A significant risk of diversion through free-zone trading companies: UN Panels of Experts have documented re-exports of military and dual-use goods via the UAE to Libya, Sudan and Yemen. " +
			"Consignees and end-user undertakings get extra scrutiny.",
		ally: true,
	},
	"SS": {
		summary:    "South Sudan: under a UN arms embargo (resolution 2428 (2018), renewed); no exemption applies to commercial supply.",
		hr:         "Security forces and armed groups are responsible for extrajudicial killings, sexual violence and arbitrary detention, documented by the UN Commission on Human Rights in South Sudan.",
		caution:    "The UN Commission on Human Rights in South Sudan has established serious violations by government forces and armed groups.",
		ihl2c:      "Armed conflict and intercommunal violence continue despite the 2018 revitalised peace agreement; all parties have been reported to commit serious violations of IHL.",
		finding2c:  exportctl.FindingRiskMitigated,
		mitigation: "Protective equipment cannot itself be used to commit a violation, which mitigates the risk under 2c; the decisive concerns are under Criteria 1 and 7.",
		internal:   "The peace is fragile; fighting resumed in Upper Nile and Jonglei in 2025.",
		regional:   "No clear risk of aggression against another country.",
		behaviour:  "Weak state institutions and limited cooperation with the UN sanctions committee and its Panel of Experts.",
		diversion:  "A high risk of diversion to armed groups: weapons and equipment circulate between security companies, militias and the armed forces.",
	},
	"IN": {
		summary:  "India: a strategic partner; no concerns about conventional military goods for its armed forces.",
		hr:       "Concerns about the use of the Armed Forces (Special Powers) Act in Jammu and Kashmir and parts of the north-east, and about restrictions on civil society.",
		caution:  "UN special procedures have raised concerns about Jammu and Kashmir; special caution applies to items for security forces deployed there.",
		ihl2c:    "India is not engaged in sustained armed conflict; there are no credible reports of serious violations of IHL by its armed forces in cross-border hostilities with Pakistan.",
		internal: "Insurgencies in parts of the north-east and Maoist violence in central India are of low intensity.",
		regional: "Tensions with Pakistan along the Line of Control and with China along the Line of Actual Control persist, but there is no clear risk of use for aggression " +
			"or to assert a territorial claim by force.",
		behaviour: "India cooperates with the UK on counter-terrorism and is a member of the Wassenaar Arrangement, the MTCR and the Australia Group.",
		diversion: "India has an effective export-control system; the risk of diversion is low.",
		ally:      true,
	},
	"EG": {
		summary:   "Egypt: a security partner; serious human-rights concerns about the treatment of political opponents and protesters.",
		hr:        "Mass arrests and prolonged pre-trial detention of critics, journalists and human-rights defenders; lethal force against protesters in 2013.",
		caution:   "UN special procedures have found arbitrary detention and torture; special caution applies to items for the security forces.",
		ihl2c:     "Counter-insurgency operations in North Sinai have wound down since 2022; earlier reports of unlawful killings and demolitions there are noted.",
		internal:  "Egypt is stable; the insurgency in North Sinai has largely ended.",
		regional:  "Egypt is a mediator in Gaza and Sudan; no clear risk of aggression.",
		behaviour: "Egypt cooperates with the UK on counter-terrorism.",
		diversion: "A moderate risk of diversion of dual-use goods; end users are checked by the British Embassy in Cairo.",
	},
	"QA": {
		summary:   "Qatar: a close defence partner that operates the Typhoon with UK support.",
		hr:        "Restrictions on freedom of expression, and concerns about migrant workers' rights; nothing links the armed forces to internal repression.",
		caution:   "No competent body has established serious violations relevant to the armed forces or the coastguard.",
		ihl2c:     "Qatar is not party to an armed conflict; its forces left the Yemen coalition in 2017.",
		internal:  "Qatar is internally stable.",
		regional:  "Qatar mediates in regional conflicts; no risk of aggression.",
		behaviour: "Qatar cooperates with the UK on counter-terrorism and hosts coalition forces at Al Udeid.",
		diversion: "Government-to-government support arrangements keep the risk of diversion low.",
		ally:      true,
	},
	"US": {
		summary: "United States: the UK's closest ally, with effective export and end-use controls.",
		hr:      "The United States has independent courts and strong democratic oversight of its armed forces.",
		caution: "No competent body has established serious violations of human rights relevant to these goods.",
		ihl2c: "The United States conducts military operations abroad (including strikes against the Houthis in 2024 and 2025); its targeting process includes legal review " +
			"and civilian-harm mitigation policies. No credible reports of serious violations of IHL relevant to these goods.",
		internal:  "The United States has no internal armed conflict.",
		regional:  "No risk of aggression: a NATO ally.",
		behaviour: "The United States leads the international non-proliferation and counter-terrorism regimes with the UK; it has signed but not ratified the Arms Trade Treaty.",
		diversion: "The US export-control system (ITAR, EAR) controls re-export effectively; the risk of diversion is low.",
		ally:      true,
	},
}
