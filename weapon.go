package exportctl

// Weapon-graph item kinds.
const (
	ItemPlatform  = "platform"  // aircraft, drone, tank, ship, artillery system
	ItemMunition  = "munition"  // bomb, missile, shell, guidance kit
	ItemComponent = "component" // part of a platform or munition
	ItemSubsystem = "subsystem" // engine, targeting pod, radar, display
)

// Weapon-graph edge kinds.
const (
	EdgeComponentOf    = "component_of"    // F-35 parts -> F-35
	EdgeCompatibleWith = "compatible_with" // JDAM -> F-16
	EdgeVariantOf      = "variant_of"      // F-16I -> F-16
)

// Delivery is one row of SIPRI's arms transfers register: a recipient
// received some number of a system in a year.
type Delivery struct {
	SIPRIID      string `json:"sipri_id"`
	Supplier     string `json:"supplier"`  // ISO 3166-1 alpha-2
	Recipient    string `json:"recipient"` // ISO 3166-1 alpha-2
	Designation  string `json:"designation"`
	Description  string `json:"description"`
	Category     string `json:"category"` // SIPRI armament category
	OrderYear    int    `json:"order_year"`
	DeliveryYear int    `json:"delivery_year"`
	Number       int    `json:"number"`
	Estimated    bool   `json:"estimated"`
	Status       string `json:"status,omitempty"` // new, second hand, ...
}

// HistoricalDecision is a licensing decision from published data (CAAT's
// compilation of the UK Strategic Export Controls database): a cohort of
// licences of one rating to one destination on one day, issued or refused.
type HistoricalDecision struct {
	Group       string  `json:"group"` // CAAT licence_group
	Date        string  `json:"date"`  // YYYY-MM-DD
	LicenceType string  `json:"licence_type"`
	Rating      string  `json:"rating"`
	Count       int     `json:"count"`
	ValueGBP    float64 `json:"value_gbp"`
	Destination string  `json:"destination"` // ISO 3166-1 alpha-2
	Refused     bool    `json:"refused"`
}
