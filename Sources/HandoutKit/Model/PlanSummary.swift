/// One line of the clinic index.
public struct PlanSummary: Sendable, Equatable {
    public var id: String
    public var patient: String
    public var therapist: String?
    public var condition: String?
    public var start: Day
    public var weeks: Int
    /// Discharged early on this day (`ended`).
    public var ended: Day?

    public init(id: String, patient: String, therapist: String?, condition: String?, start: Day, weeks: Int, ended: Day? = nil) {
        self.id = id
        self.patient = patient
        self.therapist = therapist
        self.condition = condition
        self.start = start
        self.weeks = weeks
        self.ended = ended
    }

    /// Blank text is no text, as the index shows it and as the manifest keeps it.
    public init(plan: Plan) {
        id = plan.id
        patient = plan.patient
        therapist = nonEmpty(plan.therapist)
        condition = nonEmpty(plan.condition)
        start = plan.start
        weeks = plan.weeks
        ended = plan.ended
    }
}
