package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

// The demo's evidence set: incidents recorded by hand by the analyst, and
// SIPRI-style deliveries to the demo's destinations, so that licences have
// incidents and operators to be linked to.
//
// The incidents are illustrative demo records based on public reporting
// (Gaza 2023-2024, Yemen 2015-2021, Ukraine 2022-2023); every narrative
// says so. Figures and details are rounded and simplified: they show what
// the register holds, they are not a dataset to cite. The deliveries are
// SIPRI-style rows with ids DEMO-<n>; a real SIPRI file imported later
// (exportctl import sipri) is keyed by SIPRI's own ids and adds to them.
//
// Seed records the evidence after the cases and licence actions: the
// demo's assessments were finalised before the register held anything,
// so the evidence guard (which asks the register when s.Evidence is set)
// never asks them for a reason.

// demoNarrative opens every demo incident's narrative.
const demoNarrative = "Illustrative demo record based on public reporting: "

// Perpetrators as the demo records them.
var (
	idfAir = exportctl.IncidentActor{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Israel Defense Forces", Force: "Israeli Air Force",
		Country: "IL", Basis: "official_claim", Confidence: 0.9}
	idfGround = exportctl.IncidentActor{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Israel Defense Forces", Force: "Israeli Ground Forces",
		Country: "IL", Basis: "source_report", Confidence: 0.8}
	rsaf = exportctl.IncidentActor{Role: exportctl.ActorPerpetrator, Type: 8, Name: "Saudi-led coalition", Force: "Royal Saudi Air Force",
		Country: "SA", Basis: "source_report", Confidence: 0.8}
	coalition = exportctl.IncidentActor{Role: exportctl.ActorPerpetrator, Type: 8, Name: "Saudi-led coalition",
		Basis: "source_report", Confidence: 0.7}
	ruAir = exportctl.IncidentActor{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Russian Armed Forces", Force: "Russian Aerospace Forces",
		Country: "RU", Basis: "source_report", Confidence: 0.85}
	ruArmy = exportctl.IncidentActor{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Russian Armed Forces", Force: "Russian Ground Forces",
		Country: "RU", Basis: "source_report", Confidence: 0.8}
	ruNavy = exportctl.IncidentActor{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Russian Armed Forces", Force: "Russian Navy",
		Country: "RU", Basis: "official_claim", Confidence: 0.9}
)

// place is where an incident happened; no coordinates for a redacted one.
type place struct {
	admin1, admin2, name string
	lat, lon             float64
}

var (
	deirAlBalah = place{"Gaza Strip", "Deir al-Balah", "Deir al-Balah", 31.4181, 34.3506}
	gazaCity    = place{"Gaza Strip", "Gaza", "Gaza City", 31.5017, 34.4668}
	jabalia     = place{"Gaza Strip", "North Gaza", "Jabalia", 31.5322, 34.4831}
	beitLahia   = place{"Gaza Strip", "North Gaza", "Beit Lahia", 31.5464, 34.4950}
	khanYounis  = place{"Gaza Strip", "Khan Younis", "Khan Younis", 31.3462, 34.3063}
	mawasi      = place{"Gaza Strip", "Khan Younis", "al-Mawasi", 31.3380, 34.2830}
	rafah       = place{"Gaza Strip", "Rafah", "Tal al-Sultan, Rafah", 31.3080, 34.2390}
	nuseirat    = place{"Gaza Strip", "Deir al-Balah", "Nuseirat", 31.4486, 34.3925}
	saada       = place{"Sa'dah", "Haydan", "Haydan", 16.8167, 43.5167}
	saadaCity   = place{"Sa'dah", "Sa'dah", "Sa'dah", 16.9402, 43.7639}
	dahyan      = place{"Sa'dah", "Majz", "Dahyan", 17.1656, 43.6486}
	kitaf       = place{"Sa'dah", "Kitaf wa al-Boqe'e", "Kitaf", 17.0320, 44.0050}
	mastaba     = place{"Hajjah", "Mustaba", "Mastaba", 16.2830, 43.2830}
	abs         = place{"Hajjah", "Abs", "Abs", 16.0096, 43.1926}
	sanaa       = place{"Amanat al-Asimah", "Sana'a", "Sana'a", 15.3694, 44.1910}
	dhamar      = place{"Dhamar", "Dhamar City", "Dhamar", 14.5427, 44.4051}
	mokha       = place{"Ta'izz", "al-Mukha", "Wahijah, al-Mukha", 13.3200, 43.2500}
	mariupol    = place{"Donetsk", "Mariupol", "Mariupol", 47.0971, 37.5434}
	kramatorsk  = place{"Donetsk", "Kramatorsk", "Kramatorsk", 48.7389, 37.5848}
	vinnytsia   = place{"Vinnytsia", "Vinnytsia", "Vinnytsia", 49.2331, 28.4682}
	dnipro      = place{"Dnipropetrovsk", "Dnipro", "Dnipro", 48.4647, 35.0462}
	hroza       = place{"Kharkiv", "Kupiansk", "Hroza", 49.6256, 37.8617}
)

// redactedIn is a place withheld by the publisher: only the first
// administrative level is recorded, no coordinates.
func redactedIn(admin1 string) place { return place{admin1: admin1} }

// demoIncident is one incident of the demo's register.
type demoIncident struct {
	date, country string
	at            place
	redacted      bool
	target        string
	damage        string
	aid           string
	harm          exportctl.Harm
	actors        []exportctl.IncidentActor
	weapons       []exportctl.IncidentWeapon
	classes       []exportctl.Classification
	verification  string
	publishable   bool
	narrative     string
	evidence      *demoEvidence
}

// demoEvidence is a captured source and the verification steps taken on it.
type demoEvidence struct {
	publisher, url, capturedAt, note string
	steps                            []exportctl.VerificationStepInput
}

// captureHash is the SHA-256 recorded for a demo capture: the hash of a
// label (the demo holds no captured files), so it is stable across seeds.
func captureHash(url string) string {
	h := sha256.Sum256([]byte("exportctl demo capture of " + url))
	return hex.EncodeToString(h[:])
}

func air(reported, launch string) exportctl.IncidentWeapon {
	return exportctl.IncidentWeapon{Reported: reported, Launch: launch, Basis: "source_report"}
}

func alleged(code, by string) exportctl.Classification {
	return exportctl.Classification{Code: code, Status: "alleged", By: by}
}

const (
	verified   = exportctl.VerificationVerified
	partly     = exportctl.VerificationPartly
	unverified = exportctl.VerificationUnverified
)

// jdamMarkings are the markings Amnesty International reported on the
// JDAM tail-kit remnants (Boeing's CAGE code; manufacture 2017-2018).
const (
	jdamMarkings10 = "Tail-kit remnant: CAGE 70628 (Boeing), lot dated 2018"
	jdamMarkings22 = "Tail-kit remnant: CAGE 70628 (Boeing), lot dated 2017"
)

// incidents are the demo's incidents, in the order they are recorded.
func incidents() []demoIncident {
	amnesty := "Amnesty International"
	return []demoIncident{
		// Gaza, October 2023 - 2024.
		{date: "2023-10-10", country: "PS", at: deirAlBalah, target: exportctl.TargetHome, damage: "destroyed",
			harm:    exportctl.Harm{Killed: 24, Children: 12},
			actors:  []exportctl.IncidentActor{idfAir},
			weapons: []exportctl.IncidentWeapon{{Reported: "Aerial bomb with guidance kit", Launch: exportctl.LaunchAirPlane, Item: "JDAM", Basis: "remnant", Markings: jdamMarkings10}},
			classes: []exportctl.Classification{alleged("8(2)(b)(i)", amnesty)}, verification: verified, publishable: true,
			narrative: "an air strike destroyed the al-Najjar family home in Deir al-Balah; 24 civilians were killed. Amnesty International identified remnants of a US-made JDAM guidance kit manufactured in 2018 and found no military objective at the site."},
		{date: "2023-10-22", country: "PS", at: deirAlBalah, target: exportctl.TargetHome, damage: "destroyed",
			harm:    exportctl.Harm{Killed: 19, Children: 12},
			actors:  []exportctl.IncidentActor{idfAir},
			weapons: []exportctl.IncidentWeapon{{Reported: "Aerial bomb with guidance kit", Launch: exportctl.LaunchAirPlane, Item: "JDAM", Basis: "remnant", Markings: jdamMarkings22}},
			classes: []exportctl.Classification{alleged("8(2)(b)(i)", amnesty)}, verification: partly, publishable: true,
			narrative: "an air strike destroyed the Abu Mu'eileq family home in Deir al-Balah; 19 civilians were killed. Amnesty International identified remnants of a US-made JDAM guidance kit manufactured in 2017.",
			evidence: &demoEvidence{publisher: amnesty,
				url:        "https://www.amnesty.org/en/latest/news/2023/12/israel-opt-us-made-munitions-killed-43-civilians-in-two-documented-israeli-air-strikes-in-gaza-new-investigation/",
				capturedAt: "2023-12-05T14:30:00Z", note: "Web page captured with its photographs of the tail-kit remnant (illustrative demo capture).",
				steps: []exportctl.VerificationStepInput{
					{Step: exportctl.StepSource, Confidence: 0.9, Note: "Established human-rights organisation with a field researcher on site and a published methodology."},
					{Step: exportctl.StepTechnical, Confidence: 0.8, Note: "Photographs geolocated to the reported street in Deir al-Balah; shadows consistent with the reported date."},
					{Step: exportctl.StepContent, Confidence: 0.85, Note: "Remnant markings (CAGE 70628, lot dated 2017) match the JDAM tail kit; casualty figures agree with two other sources.", State: verified},
				}}},
		{date: "2023-10-31", country: "PS", at: jabalia, target: exportctl.TargetShelter, damage: "destroyed",
			harm:    exportctl.Harm{Killed: 120, Injured: 280, Children: 60},
			actors:  []exportctl.IncidentActor{idfAir},
			weapons: []exportctl.IncidentWeapon{air("Air strike: several large aerial bombs", exportctl.LaunchAirPlane)},
			classes: []exportctl.Classification{alleged("8(2)(b)(iv)", "UN Special Rapporteurs")}, verification: verified, publishable: true,
			narrative: "air strikes on a residential block of Jabalia refugee camp left large craters; the IDF said it targeted a commander of an armed group. Casualty figures are approximate."},
		{date: "2023-11-03", country: "PS", at: gazaCity, target: exportctl.TargetAmbulance, damage: "severely_damaged",
			harm:    exportctl.Harm{Killed: 15, Injured: 60, HealthWorkers: 3},
			actors:  []exportctl.IncidentActor{idfAir},
			weapons: []exportctl.IncidentWeapon{air("Missile strike", exportctl.LaunchAirUnknown)},
			classes: []exportctl.Classification{alleged("8(2)(b)(xxiv)", "Palestine Red Crescent Society")}, verification: partly,
			narrative: "a strike hit an ambulance convoy leaving al-Shifa hospital for the south; the IDF said the ambulance was used by an armed group."},
		{date: "2023-11-04", country: "PS", at: jabalia, target: exportctl.TargetSchool, damage: "moderately_damaged",
			harm:    exportctl.Harm{Killed: 15, Injured: 70},
			actors:  []exportctl.IncidentActor{idfAir},
			weapons: []exportctl.IncidentWeapon{air("Air strike", exportctl.LaunchAirPlane)},
			classes: []exportctl.Classification{alleged("8(2)(b)(ix)", "UNRWA")}, verification: partly,
			narrative: "a strike hit the courtyard of al-Fakhura school, run by UNRWA and used as a shelter by displaced families."},
		{date: "2023-11-20", country: "PS", at: beitLahia, target: exportctl.TargetHospital, damage: "moderately_damaged",
			harm:    exportctl.Harm{Killed: 12, HealthWorkers: 2},
			actors:  []exportctl.IncidentActor{idfGround},
			weapons: []exportctl.IncidentWeapon{air("Tank shelling", exportctl.LaunchGround)},
			classes: []exportctl.Classification{alleged("8(2)(b)(xxiv)", "World Health Organization")}, verification: partly,
			narrative: "shells hit the second floor of the Indonesian Hospital in Beit Lahia while patients and displaced people sheltered inside."},
		{date: "2023-12-12", country: "PS", at: redactedIn("Gaza Strip"), redacted: true, target: exportctl.TargetHealthWorker,
			harm:         exportctl.Harm{Killed: 1, HealthWorkers: 1},
			actors:       []exportctl.IncidentActor{idfAir},
			weapons:      []exportctl.IncidentWeapon{air("Drone strike", exportctl.LaunchAirDrone)},
			verification: unverified,
			narrative:    "a doctor was killed by a drone strike on the way to a field clinic. The reporting organisation withheld the place to protect colleagues still working there."},
		{date: "2024-01-29", country: "PS", at: gazaCity, target: exportctl.TargetAmbulance, damage: "destroyed",
			harm:   exportctl.Harm{Killed: 8, HealthWorkers: 2, Children: 6},
			actors: []exportctl.IncidentActor{idfGround},
			// The IDF's only main battle tank is the Merkava: the item is
			// inferred from the reported tank fire.
			weapons: []exportctl.IncidentWeapon{{Reported: "Tank fire", Launch: exportctl.LaunchGround, Item: "Merkava", Basis: "inferred"}},
			classes: []exportctl.Classification{alleged("8(2)(b)(xxiv)", "Palestine Red Crescent Society")}, verification: verified, publishable: true,
			narrative: "a Palestine Red Crescent ambulance sent to rescue a six-year-old girl trapped in a car under fire was destroyed; the two paramedics, the girl and her relatives were killed."},
		{date: "2024-02-15", country: "PS", at: khanYounis, target: exportctl.TargetHospital, damage: "severely_damaged",
			harm:         exportctl.Harm{Killed: 8, HealthWorkers: 70, Detained: 70},
			actors:       []exportctl.IncidentActor{idfGround},
			weapons:      []exportctl.IncidentWeapon{air("Raid after siege and gunfire", exportctl.LaunchGround)},
			classes:      []exportctl.Classification{alleged("8(2)(b)(ix)", "World Health Organization")},
			verification: partly,
			narrative:    "Israeli forces raided Nasser Hospital in Khan Younis after a siege; staff were detained, patients died when power and oxygen failed, and the hospital stopped functioning."},
		{date: "2024-02-29", country: "PS", at: gazaCity, target: exportctl.TargetAid, aid: "impeded",
			harm:         exportctl.Harm{Killed: 110, Injured: 760},
			actors:       []exportctl.IncidentActor{idfGround},
			weapons:      []exportctl.IncidentWeapon{air("Gunfire", exportctl.LaunchGround)},
			verification: partly,
			narrative:    "people waiting for a food convoy on al-Rashid road were killed by gunfire and in the crush that followed; accounts of what happened differ."},
		{date: "2024-04-01", country: "PS", at: deirAlBalah, target: exportctl.TargetAid, damage: "destroyed", aid: "denied",
			harm:    exportctl.Harm{Killed: 7, AidWorkers: 7},
			actors:  []exportctl.IncidentActor{idfAir},
			weapons: []exportctl.IncidentWeapon{{Reported: "Drone-launched missiles", Launch: exportctl.LaunchAirDrone, Item: "Hermes 450", Basis: "source_report"}},
			classes: []exportctl.Classification{alleged("8(2)(b)(iii)", "World Central Kitchen")}, verification: verified, publishable: true,
			narrative: "three marked World Central Kitchen cars on a coordinated route were struck one after another by a drone; seven aid workers, including three British nationals, were killed. The IDF's own inquiry found a grave mistake; press reports named the drone as a Hermes 450.",
			evidence: &demoEvidence{publisher: "World Central Kitchen",
				url:        "https://wck.org/news/gaza-team-update",
				capturedAt: "2024-04-02T09:00:00Z", note: "Statement and photographs of the three vehicles (illustrative demo capture).",
				steps: []exportctl.VerificationStepInput{
					{Step: exportctl.StepSource, Confidence: 0.95, Note: "The organisation whose staff were killed; the IDF confirmed the strike."},
					{Step: exportctl.StepTechnical, Confidence: 0.9, Note: "Vehicle roof markings visible in the photographs; locations along the coastal road geolocated."},
				}}},
		{date: "2024-05-26", country: "PS", at: rafah, target: exportctl.TargetShelter, damage: "destroyed",
			harm:    exportctl.Harm{Killed: 45, Injured: 240, Children: 12},
			actors:  []exportctl.IncidentActor{idfAir},
			weapons: []exportctl.IncidentWeapon{{Reported: "Small guided bombs", Launch: exportctl.LaunchAirPlane, Item: "GBU-39", Basis: "remnant", Markings: "Tail-section remnant of a GBU-39 small-diameter bomb"}},
			classes: []exportctl.Classification{alleged("8(2)(b)(iv)", amnesty)}, verification: verified, publishable: true,
			narrative: "an air strike near a camp of tents for displaced people in Tal al-Sultan set the camp on fire; remnants of a US-made GBU-39 were photographed at the site."},
		{date: "2024-06-06", country: "PS", at: nuseirat, target: exportctl.TargetSchool, damage: "severely_damaged",
			harm:         exportctl.Harm{Killed: 35, Children: 14},
			actors:       []exportctl.IncidentActor{idfAir},
			weapons:      []exportctl.IncidentWeapon{{Reported: "Guided bombs", Launch: exportctl.LaunchAirPlane, Item: "GBU-39", Basis: "imagery"}},
			verification: partly,
			narrative:    "an air strike hit classrooms on the upper floors of an UNRWA school in Nuseirat sheltering displaced families; the IDF said fighters were inside."},
		{date: "2024-07-13", country: "PS", at: mawasi, target: exportctl.TargetShelter, damage: "destroyed",
			harm:         exportctl.Harm{Killed: 90, Injured: 300},
			actors:       []exportctl.IncidentActor{idfAir},
			weapons:      []exportctl.IncidentWeapon{air("Air strike: several heavy bombs", exportctl.LaunchAirPlane)},
			verification: partly,
			narrative:    "air strikes in the al-Mawasi area, designated a humanitarian zone, hit tents of displaced people; the IDF said it targeted senior commanders of an armed group."},
		{date: "2024-08-10", country: "PS", at: gazaCity, target: exportctl.TargetSchool, damage: "severely_damaged",
			harm:         exportctl.Harm{Killed: 90, Children: 11},
			actors:       []exportctl.IncidentActor{idfAir},
			weapons:      []exportctl.IncidentWeapon{air("Air strike during dawn prayers", exportctl.LaunchAirPlane)},
			verification: unverified,
			narrative:    "an air strike hit the al-Tabi'in school and its mosque in Gaza City, used as a shelter; casualty figures are disputed."},
		{date: "2024-10-14", country: "PS", at: deirAlBalah, target: exportctl.TargetHospital, damage: "destroyed",
			harm:         exportctl.Harm{Killed: 4, Injured: 40},
			actors:       []exportctl.IncidentActor{idfAir},
			weapons:      []exportctl.IncidentWeapon{air("Air strike", exportctl.LaunchAirPlane)},
			classes:      []exportctl.Classification{alleged("8(2)(b)(ix)", "Médecins Sans Frontières")},
			verification: verified,
			narrative:    "an air strike in the grounds of al-Aqsa Martyrs Hospital set fire to tents of displaced people; patients and relatives burned to death."},
		{date: "2024-12-27", country: "PS", at: redactedIn("Gaza Strip"), redacted: true, target: exportctl.TargetHospital,
			harm:         exportctl.Harm{HealthWorkers: 5},
			actors:       []exportctl.IncidentActor{idfGround},
			weapons:      []exportctl.IncidentWeapon{air("Raid and gunfire", exportctl.LaunchGround)},
			verification: unverified,
			narrative:    "health workers were detained during a raid on a hospital in the north of the Strip. The publisher withheld the facility to protect staff."},

		// Yemen, 2015-2021.
		{date: "2015-09-28", country: "YE", at: mokha, target: exportctl.TargetCivilianOther, damage: "destroyed",
			harm:         exportctl.Harm{Killed: 130},
			actors:       []exportctl.IncidentActor{coalition},
			weapons:      []exportctl.IncidentWeapon{air("Air strike", exportctl.LaunchAirPlane)},
			classes:      []exportctl.Classification{alleged("8(2)(e)(i)", "Human Rights Watch")},
			verification: partly,
			narrative:    "air strikes hit a wedding party in the village of Wahijah near al-Mukha; no military objective was identified nearby."},
		{date: "2015-10-26", country: "YE", at: saada, target: exportctl.TargetHospital, damage: "destroyed",
			actors:       []exportctl.IncidentActor{coalition},
			weapons:      []exportctl.IncidentWeapon{air("Air strikes", exportctl.LaunchAirPlane)},
			classes:      []exportctl.Classification{alleged("8(2)(e)(iv)", "Médecins Sans Frontières")},
			verification: verified, publishable: true,
			narrative: "repeated air strikes destroyed the MSF-supported hospital in Haydan, whose coordinates had been shared with the coalition; staff and patients escaped."},
		{date: "2016-03-15", country: "YE", at: mastaba, target: exportctl.TargetCivilianOther, damage: "destroyed",
			harm:    exportctl.Harm{Killed: 97, Children: 25},
			actors:  []exportctl.IncidentActor{rsaf},
			weapons: []exportctl.IncidentWeapon{{Reported: "2,000 lb guided bomb", Launch: exportctl.LaunchAirPlane, Item: "JDAM", Basis: "remnant", Markings: "GBU-31 JDAM tail-kit remnant"}},
			classes: []exportctl.Classification{alleged("8(2)(e)(i)", "Human Rights Watch")}, verification: verified, publishable: true,
			narrative: "two air strikes hit the crowded market of Mastaba; Human Rights Watch identified remnants of a US-supplied GBU-31 satellite-guided bomb."},
		{date: "2016-08-15", country: "YE", at: abs, target: exportctl.TargetHospital, damage: "severely_damaged",
			harm:         exportctl.Harm{Killed: 19, Injured: 24, HealthWorkers: 1},
			actors:       []exportctl.IncidentActor{coalition},
			weapons:      []exportctl.IncidentWeapon{air("Air strike", exportctl.LaunchAirPlane)},
			classes:      []exportctl.Classification{alleged("8(2)(e)(iv)", "Médecins Sans Frontières")},
			verification: verified,
			narrative:    "an air strike hit the MSF-supported hospital in Abs; MSF withdrew from six hospitals in the north afterwards."},
		{date: "2016-10-08", country: "YE", at: sanaa, target: exportctl.TargetCivilianOther, damage: "destroyed",
			harm:    exportctl.Harm{Killed: 140, Injured: 525},
			actors:  []exportctl.IncidentActor{rsaf},
			weapons: []exportctl.IncidentWeapon{{Reported: "Laser-guided bombs", Launch: exportctl.LaunchAirPlane, Item: "Paveway", Basis: "remnant", Markings: "GBU-12 Paveway II remnant"}},
			classes: []exportctl.Classification{alleged("8(2)(e)(i)", "Human Rights Watch")}, verification: verified, publishable: true,
			narrative: "two air strikes hit a funeral hall in Sana'a during a wake; the coalition's Joint Incidents Assessment Team later accepted that the strike was a mistake."},
		{date: "2017-06-14", country: "YE", at: redactedIn("Sa'dah"), redacted: true, target: exportctl.TargetAmbulance,
			harm:         exportctl.Harm{Killed: 2, HealthWorkers: 2},
			actors:       []exportctl.IncidentActor{coalition},
			weapons:      []exportctl.IncidentWeapon{air("Air strike", exportctl.LaunchAirUnknown)},
			verification: unverified,
			narrative:    "an ambulance was hit on a road in the governorate; the driver and a paramedic were killed. The reporting organisation withheld the location."},
		{date: "2018-08-09", country: "YE", at: dahyan, target: exportctl.TargetSchool, damage: "destroyed",
			harm:    exportctl.Harm{Killed: 51, Children: 40},
			actors:  []exportctl.IncidentActor{rsaf},
			weapons: []exportctl.IncidentWeapon{{Reported: "500 lb laser-guided bomb", Launch: exportctl.LaunchAirPlane, Item: "Paveway", Basis: "remnant", Markings: "Mk 82 bomb with laser guidance kit"}},
			classes: []exportctl.Classification{alleged("8(2)(e)(i)", "Group of Eminent Experts on Yemen")}, verification: verified, publishable: true,
			narrative: "an air strike hit a bus carrying schoolchildren on an outing in Dahyan market."},
		{date: "2019-03-26", country: "YE", at: kitaf, target: exportctl.TargetHospital, damage: "destroyed",
			harm:         exportctl.Harm{Killed: 7, Children: 4, HealthWorkers: 1},
			actors:       []exportctl.IncidentActor{coalition},
			weapons:      []exportctl.IncidentWeapon{air("Missile", exportctl.LaunchAirUnknown)},
			verification: partly,
			narrative:    "a missile struck a petrol station next to a rural hospital in Kitaf as it opened in the morning."},
		{date: "2019-09-01", country: "YE", at: dhamar, target: exportctl.TargetCivilianOther, damage: "destroyed",
			harm:         exportctl.Harm{Killed: 100, Detained: 170},
			actors:       []exportctl.IncidentActor{rsaf},
			weapons:      []exportctl.IncidentWeapon{air("Air strikes", exportctl.LaunchAirPlane)},
			verification: partly,
			narrative:    "air strikes hit a former college building used as a detention centre in Dhamar, known to the ICRC as a place of detention."},
		{date: "2021-03-07", country: "YE", at: saadaCity, target: exportctl.TargetInfrastructure, damage: "moderately_damaged",
			actors:       []exportctl.IncidentActor{coalition},
			weapons:      []exportctl.IncidentWeapon{air("Air strike", exportctl.LaunchAirPlane)},
			verification: unverified,
			narrative:    "a strike was reported on a water project serving Sa'dah city; damage not independently confirmed."},

		// Ukraine, 2022-2023.
		{date: "2022-03-09", country: "UA", at: mariupol, target: exportctl.TargetHospital, damage: "severely_damaged",
			harm:    exportctl.Harm{Killed: 3, Injured: 17, Children: 1},
			actors:  []exportctl.IncidentActor{ruAir},
			weapons: []exportctl.IncidentWeapon{air("Aerial bombs", exportctl.LaunchAirPlane)},
			classes: []exportctl.Classification{alleged("8(2)(b)(ix)", "OSCE Moscow Mechanism")}, verification: verified, publishable: true,
			narrative: "an air strike hit the maternity ward of Mariupol's hospital No. 3; a pregnant woman and her baby later died."},
		{date: "2022-03-16", country: "UA", at: mariupol, target: exportctl.TargetShelter, damage: "destroyed",
			harm:    exportctl.Harm{Killed: 12},
			actors:  []exportctl.IncidentActor{ruAir},
			weapons: []exportctl.IncidentWeapon{air("Two 500 kg aerial bombs", exportctl.LaunchAirPlane)},
			classes: []exportctl.Classification{alleged("8(2)(b)(i)", amnesty)}, verification: verified, publishable: true,
			narrative: "an air strike destroyed the Donetsk Regional Drama Theatre, sheltering hundreds of civilians, with the word \"children\" painted on the ground outside; the toll is uncertain."},
		{date: "2022-04-08", country: "UA", at: kramatorsk, target: exportctl.TargetCivilianOther, damage: "severely_damaged",
			harm:         exportctl.Harm{Killed: 60, Injured: 110, Children: 7},
			actors:       []exportctl.IncidentActor{ruArmy},
			weapons:      []exportctl.IncidentWeapon{air("Tochka-U ballistic missile with cluster warhead", exportctl.LaunchGround)},
			classes:      []exportctl.Classification{alleged("8(2)(b)(iv)", "Human Rights Watch")},
			verification: verified,
			narrative:    "a cluster-munition missile hit Kramatorsk railway station while civilians waited to be evacuated."},
		{date: "2022-07-14", country: "UA", at: vinnytsia, target: exportctl.TargetCivilianOther, damage: "destroyed",
			harm:         exportctl.Harm{Killed: 27, Injured: 200, Children: 3},
			actors:       []exportctl.IncidentActor{ruNavy},
			weapons:      []exportctl.IncidentWeapon{air("Kalibr cruise missiles from a submarine", exportctl.LaunchSea)},
			verification: partly,
			narrative:    "cruise missiles hit a business centre and concert hall in central Vinnytsia; Russia said it struck a meeting of officers."},
		{date: "2022-10-17", country: "UA", at: redactedIn("Kharkiv"), redacted: true, target: exportctl.TargetHospital,
			harm:         exportctl.Harm{Injured: 3, HealthWorkers: 3},
			actors:       []exportctl.IncidentActor{ruArmy},
			weapons:      []exportctl.IncidentWeapon{air("Artillery shelling", exportctl.LaunchGround)},
			verification: unverified,
			narrative:    "shelling damaged a district hospital near the front line; the place is withheld at the request of the health authority."},
		{date: "2023-01-14", country: "UA", at: dnipro, target: exportctl.TargetHome, damage: "destroyed",
			harm:         exportctl.Harm{Killed: 46, Injured: 80, Children: 6},
			actors:       []exportctl.IncidentActor{ruAir},
			weapons:      []exportctl.IncidentWeapon{air("Kh-22 anti-ship missile", exportctl.LaunchAirPlane)},
			classes:      []exportctl.Classification{alleged("8(2)(b)(i)", "OHCHR")},
			verification: verified, publishable: true,
			narrative: "a long-range missile launched from a bomber destroyed a section of a nine-storey apartment block in Dnipro."},
		{date: "2023-05-26", country: "UA", at: dnipro, target: exportctl.TargetHospital, damage: "severely_damaged",
			harm:         exportctl.Harm{Killed: 2, Injured: 30},
			actors:       []exportctl.IncidentActor{ruArmy},
			weapons:      []exportctl.IncidentWeapon{air("Missile", exportctl.LaunchUnknown)},
			verification: partly,
			narrative:    "a missile hit a psychiatric and veterinary clinic complex in Dnipro."},
		{date: "2023-10-05", country: "UA", at: hroza, target: exportctl.TargetCivilianOther, damage: "destroyed",
			harm:         exportctl.Harm{Killed: 59, Children: 1},
			actors:       []exportctl.IncidentActor{ruArmy},
			weapons:      []exportctl.IncidentWeapon{air("Iskander ballistic missile", exportctl.LaunchGround)},
			classes:      []exportctl.Classification{alleged("8(2)(b)(i)", "OHCHR")},
			verification: verified,
			narrative:    "a missile hit a café in the village of Hroza during a wake, killing a large part of the village's population."},
	}
}

// demoDeliveries are SIPRI-style deliveries to the demo's destinations,
// so the weapon graph has operators to link licences to: the platforms and
// munitions the incidents name and the licensed components fit.
var demoDeliveries = []exportctl.Delivery{
	// Israel.
	{SIPRIID: "DEMO-1", Supplier: "US", Recipient: "IL", Designation: "F-16I", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 1999, DeliveryYear: 2004, Number: 38},
	{SIPRIID: "DEMO-1", Supplier: "US", Recipient: "IL", Designation: "F-16I", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 1999, DeliveryYear: 2006, Number: 40},
	{SIPRIID: "DEMO-1", Supplier: "US", Recipient: "IL", Designation: "F-16I", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 1999, DeliveryYear: 2008, Number: 24},
	{SIPRIID: "DEMO-2", Supplier: "US", Recipient: "IL", Designation: "F-35A", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2010, DeliveryYear: 2016, Number: 2},
	{SIPRIID: "DEMO-2", Supplier: "US", Recipient: "IL", Designation: "F-35A", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2010, DeliveryYear: 2019, Number: 5},
	{SIPRIID: "DEMO-2", Supplier: "US", Recipient: "IL", Designation: "F-35A", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2010, DeliveryYear: 2022, Number: 6, Estimated: true},
	{SIPRIID: "DEMO-3", Supplier: "US", Recipient: "IL", Designation: "F-15I", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 1994, DeliveryYear: 1998, Number: 25},
	{SIPRIID: "DEMO-4", Supplier: "US", Recipient: "IL", Designation: "AH-64D", Description: "Combat helicopter", Category: "Aircraft", OrderYear: 2000, DeliveryYear: 2005, Number: 18},
	{SIPRIID: "DEMO-5", Supplier: "IL", Recipient: "IL", Designation: "Hermes 450", Description: "UAV (domestic production; illustrative: SIPRI records transfers only)", Category: "Aircraft", OrderYear: 1998, DeliveryYear: 2000, Number: 20, Estimated: true, Status: "domestic"},
	{SIPRIID: "DEMO-6", Supplier: "US", Recipient: "IL", Designation: "JDAM", Description: "Guided bomb kit", Category: "Missiles", OrderYear: 2016, DeliveryYear: 2019, Number: 1588},
	{SIPRIID: "DEMO-7", Supplier: "US", Recipient: "IL", Designation: "GBU-39", Description: "Guided glide bomb", Category: "Missiles", OrderYear: 2008, DeliveryYear: 2009, Number: 1000, Estimated: true},
	{SIPRIID: "DEMO-7", Supplier: "US", Recipient: "IL", Designation: "GBU-39", Description: "Guided glide bomb", Category: "Missiles", OrderYear: 2008, DeliveryYear: 2023, Number: 1000, Estimated: true},
	// Saudi Arabia.
	{SIPRIID: "DEMO-8", Supplier: "GB", Recipient: "SA", Designation: "Typhoon", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2007, DeliveryYear: 2009, Number: 4},
	{SIPRIID: "DEMO-8", Supplier: "GB", Recipient: "SA", Designation: "Typhoon", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2007, DeliveryYear: 2013, Number: 24},
	{SIPRIID: "DEMO-8", Supplier: "GB", Recipient: "SA", Designation: "Typhoon", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2007, DeliveryYear: 2017, Number: 44},
	{SIPRIID: "DEMO-9", Supplier: "GB", Recipient: "SA", Designation: "Tornado IDS", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 1986, DeliveryYear: 1989, Number: 48},
	{SIPRIID: "DEMO-9", Supplier: "GB", Recipient: "SA", Designation: "Tornado IDS", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 1986, DeliveryYear: 1998, Number: 48},
	{SIPRIID: "DEMO-10", Supplier: "US", Recipient: "SA", Designation: "F-15SA", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2011, DeliveryYear: 2016, Number: 30},
	{SIPRIID: "DEMO-10", Supplier: "US", Recipient: "SA", Designation: "F-15SA", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2011, DeliveryYear: 2019, Number: 54},
	{SIPRIID: "DEMO-11", Supplier: "GB", Recipient: "SA", Designation: "Paveway IV", Description: "Guided bomb", Category: "Missiles", OrderYear: 2013, DeliveryYear: 2015, Number: 500, Estimated: true},
	{SIPRIID: "DEMO-11", Supplier: "GB", Recipient: "SA", Designation: "Paveway IV", Description: "Guided bomb", Category: "Missiles", OrderYear: 2013, DeliveryYear: 2018, Number: 1000, Estimated: true},
	{SIPRIID: "DEMO-12", Supplier: "GB", Recipient: "SA", Designation: "Hawk AJT", Description: "Trainer/combat aircraft", Category: "Aircraft", OrderYear: 2012, DeliveryYear: 2017, Number: 22},
}

// seedEvidence records the demo's deliveries and incidents as the analyst.
func seedEvidence(ctx context.Context, s *store.Store, analyst exportctl.Actor) error {
	res, err := s.ImportDeliveries(ctx, analyst, "demo-deliveries", demoDeliveries)
	if err != nil {
		return fmt.Errorf("demo: import deliveries: %w", err)
	}
	if res.Unmapped > 0 {
		return fmt.Errorf("demo: deliveries with no weapon item: %s", strings.Join(res.UnmappedDesignations, ", "))
	}
	items, err := s.Items(ctx, analyst, "")
	if err != nil {
		return fmt.Errorf("demo: list weapon items: %w", err)
	}
	itemIDs := map[string]int64{}
	for _, it := range items {
		itemIDs[it.Name] = it.ID
	}
	for _, d := range incidents() {
		in := exportctl.Incident{
			StartDate: d.date, Country: d.country,
			Admin1: d.at.admin1, Admin2: d.at.admin2, Place: d.at.name, Redacted: d.redacted,
			EventType: "Explosions/Remote violence", Target: d.target, Damage: d.damage, AidAccess: d.aid,
			Harm: d.harm, Actors: d.actors, Weapons: append([]exportctl.IncidentWeapon(nil), d.weapons...), Classifications: d.classes,
			Verification: d.verification, Narrative: demoNarrative + d.narrative, Publishable: d.publishable,
		}
		if d.at.lat != 0 || d.at.lon != 0 {
			lat, lon := d.at.lat, d.at.lon
			in.Latitude, in.Longitude, in.GeoPrecision = &lat, &lon, 1
		}
		if len(d.weapons) > 0 {
			switch d.weapons[0].Launch {
			case exportctl.LaunchAirPlane, exportctl.LaunchAirDrone, exportctl.LaunchAirHelicopter, exportctl.LaunchAirUnknown:
				in.SubEventType = "Air/drone strike"
			case exportctl.LaunchGround, exportctl.LaunchSea, exportctl.LaunchUnknown:
				in.SubEventType = "Shelling/artillery/missile attack"
			}
		}
		for k := range in.Weapons {
			if name := in.Weapons[k].Item; name != "" {
				id, ok := itemIDs[name]
				if !ok {
					return fmt.Errorf("demo: incident of %s: no weapon item %q", d.date, name)
				}
				in.Weapons[k].ItemID = id
			}
		}
		inc, err := s.CreateIncident(ctx, analyst, in)
		if err != nil {
			return fmt.Errorf("demo: incident of %s in %s: %w", d.date, d.country, err)
		}
		if e := d.evidence; e != nil {
			if _, err := s.AddEvidenceSource(ctx, analyst, inc.ID, exportctl.EvidenceSourceInput{
				Publisher: e.publisher, URL: e.url, CapturedAt: e.capturedAt, SHA256: captureHash(e.url), Note: e.note}); err != nil {
				return fmt.Errorf("demo: evidence source of incident %d: %w", inc.ID, err)
			}
			for _, st := range e.steps {
				if _, err := s.AddVerificationStep(ctx, analyst, inc.ID, st); err != nil {
					return fmt.Errorf("demo: verification step of incident %d: %w", inc.ID, err)
				}
			}
		}
	}
	return nil
}
