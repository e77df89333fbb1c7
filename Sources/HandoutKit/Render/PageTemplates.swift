/// Each page template and the context it receives. Templates are checked against the shape
/// read off the context type before anything renders, because swift-mustache renders a
/// missing name as an empty string.
enum PageTemplates {
    static func shapes() -> [(template: String, shape: Shape)] {
        func read<Context: TemplateContext>(_ template: String, _ context: Context.Type) -> (template: String, shape: Shape) {
            (template, ShapeReader.shape(of: context))
        }
        return [
            read("layout", Layout.self), read("handout", HandoutPage.self), read("calendar", CalendarPage.self),
            read("exercise-card", ExerciseCard.self), read("handout-progression", HandoutProgression.self),
            read("calendar-week", CalendarWeek.self), read("calendar-week-log", CalendarWeekLog.self),
            read("calendar-day", CalendarDay.self), read("calendar-item", CalendarItem.self), read("index", ClinicIndex.self),
            read("exercise", LibraryExercisePage.self), read("library", LibraryIndex.self), read("page", LibraryEducationPage.self),
            read("progression", LibraryProgressionPage.self), read("batch-cover", BatchCoverPage.self),
        ]
    }
}
