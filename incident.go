package exportctl

import (
	"time"
)

// Date precision of an incident (ACLED's time_precision).
const (
	PrecisionDay   = 1 // the exact day
	PrecisionWeek  = 2 // within the week
	PrecisionMonth = 3 // within the month or wider
)

// Target categories: what was hit (DOMAIN.md section 3).
const (
	TargetHospital       = "hospital"
	TargetAmbulance      = "ambulance" // ambulance or medical transport
	TargetHealthWorker   = "health_worker"
	TargetSchool         = "school" // school or university
	TargetAid            = "aid"    // aid convoy, warehouse or worker
	TargetWorship        = "place_of_worship"
	TargetHome           = "home"
	TargetShelter        = "shelter"        // shelter or camp
	TargetInfrastructure = "infrastructure" // water, food or power system
	TargetJournalist     = "journalist"
	TargetCivilianOther  = "other_civilian"
	TargetMilitary       = "military"
	TargetUnknown        = "unknown"
)

// TargetCategories lists the target categories.
var TargetCategories = []string{TargetHospital, TargetAmbulance, TargetHealthWorker, TargetSchool, TargetAid, TargetWorship,
	TargetHome, TargetShelter, TargetInfrastructure, TargetJournalist, TargetCivilianOther, TargetMilitary, TargetUnknown}

// Damage levels.
var DamageLevels = []string{"destroyed", "severely_damaged", "moderately_damaged", "possibly_damaged", "none", "unknown"}

// Aid-access outcomes.
var AidAccessOutcomes = []string{"facilitated", "impeded", "denied"}

// Verification states (Berkeley Protocol).
const (
	VerificationUnverified = "unverified"
	VerificationPartly     = "partly_verified"
	VerificationVerified   = "verified"
	VerificationContested  = "contested"
)

// VerificationStates lists the overall verification states.
var VerificationStates = []string{VerificationUnverified, VerificationPartly, VerificationVerified, VerificationContested}

// Legal classification statuses: the system never states guilt.
var ClassificationStatuses = []string{"alleged", "assessed", "adjudicated"}

// Launch types (SiND vocabulary, normalised).
const (
	LaunchAirPlane      = "air_plane"
	LaunchAirDrone      = "air_drone"
	LaunchAirHelicopter = "air_helicopter"
	LaunchAirUnknown    = "air_unknown"
	LaunchGround        = "ground"
	LaunchSea           = "sea"
	LaunchUnknown       = "unknown"
)

// Airborne reports whether a launch type is from the air.
func Airborne(launch string) bool {
	return launch == LaunchAirPlane || launch == LaunchAirDrone || launch == LaunchAirHelicopter || launch == LaunchAirUnknown
}

// Incident is one documented event of the evidence register.
type Incident struct {
	ID              int64             `json:"id"`
	Sources         []SourceID        `json:"source_ids"`
	StartDate       string            `json:"start_date"` // YYYY-MM-DD
	EndDate         string            `json:"end_date,omitempty"`
	DatePrecision   int               `json:"date_precision"`
	Country         string            `json:"country"` // ISO 3166-1 alpha-2
	Admin1          string            `json:"admin1,omitempty"`
	Admin2          string            `json:"admin2,omitempty"`
	Admin3          string            `json:"admin3,omitempty"`
	Place           string            `json:"place,omitempty"`
	Latitude        *float64          `json:"latitude,omitempty"`
	Longitude       *float64          `json:"longitude,omitempty"`
	GeoPrecision    int               `json:"geo_precision,omitempty"` // 1 exact .. 3 region (ACLED); larger is coarser
	Redacted        bool              `json:"redacted"`                // the publisher withheld the precise place
	EventType       string            `json:"event_type,omitempty"`    // ACLED event type
	SubEventType    string            `json:"sub_event_type,omitempty"`
	Target          string            `json:"target_category"`
	Damage          string            `json:"damage,omitempty"`
	AidAccess       string            `json:"aid_access,omitempty"`
	Harm            Harm              `json:"harm"`
	Actors          []IncidentActor   `json:"actors"`
	Weapons         []IncidentWeapon  `json:"weapons"`
	Classifications []Classification  `json:"classifications"`
	Verification    string            `json:"verification"`
	Narrative       string            `json:"narrative,omitempty"`
	Publishable     bool              `json:"publishable"`
	GroupID         int64             `json:"group_id,omitempty"` // confirmed duplicates share a group
	Original        map[string]string `json:"original,omitempty"` // the source's own values
	CreatedAt       time.Time         `json:"created_at"`
}

// SourceID names a record in a source dataset: never merged away.
type SourceID struct {
	Source string `json:"source"` // acled, sind-health, awsd, ...
	ID     string `json:"id"`
}

// Harm counts people affected, by group.
type Harm struct {
	Killed        int `json:"killed"`
	Injured       int `json:"injured"`
	Kidnapped     int `json:"kidnapped"`
	Detained      int `json:"detained"`
	HealthWorkers int `json:"health_workers_affected"`
	AidWorkers    int `json:"aid_workers_affected"`
	Children      int `json:"children_affected"`
	Journalists   int `json:"journalists_affected"`
}

// IncidentActor is an actor with its role in an incident.
type IncidentActor struct {
	Role       string  `json:"role"`            // perpetrator, target, other
	Type       int     `json:"type"`            // ACLED actor type 1-8; 0 unknown
	Name       string  `json:"name"`            // as reported
	Force      string  `json:"force,omitempty"` // the named force or unit it maps to
	Country    string  `json:"country,omitempty"`
	Basis      string  `json:"basis,omitempty"` // basis of attribution
	Confidence float64 `json:"confidence"`      // 0..1
}

// IncidentWeapon is what was used, as reported or identified.
type IncidentWeapon struct {
	Reported string `json:"reported"`          // the source's words ("Aerial Bomb: Plane")
	Launch   string `json:"launch"`            // normalised launch type
	ItemID   int64  `json:"item_id,omitempty"` // a specific system of the weapon graph
	Item     string `json:"item,omitempty"`
	Basis    string `json:"basis,omitempty"`    // remnant, imagery, official_claim, source_report, inferred
	Markings string `json:"markings,omitempty"` // NSN, CAGE, lot, serial, manufacture date
}

// Classification is a legal classification with its status and author.
type Classification struct {
	Code   string `json:"code"`   // Rome Statute article 8 paragraph
	Status string `json:"status"` // alleged, assessed, adjudicated
	By     string `json:"by"`
}
